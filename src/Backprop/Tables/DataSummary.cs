namespace Backprop.Tables;

/// <summary>What was read from the training file and how it was split.</summary>
public sealed record DataSummary
{
    /// <summary>The training file as given.</summary>
    public required string File { get; init; }

    /// <summary>Whether the file was streamed rather than loaded.</summary>
    public bool Streamed { get; init; }

    /// <summary>Data rows in the file (when streamed: the rows trained on per epoch).</summary>
    public long Rows { get; init; }

    /// <summary>Encoded inputs per row.</summary>
    public int Inputs { get; init; }

    /// <summary>Feature columns the inputs come from.</summary>
    public int Columns { get; init; }

    /// <summary>The target columns.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Rows the network was fitted on.</summary>
    public int TrainRows { get; init; }

    /// <summary>K of the search's K-fold cross-validation (every training row is held out once, for early stopping and scoring), or 0 for one network.</summary>
    public int Folds { get; init; }

    /// <summary>Rows held out for early stopping (one network; with the search, each fold is held out in turn).</summary>
    public int ValidationRows { get; init; }

    /// <summary>Rows scored as the test set.</summary>
    public int TestRows { get; init; }

    /// <summary>Rows left out because of missing values (training and test rows together).</summary>
    public int DroppedRows { get; init; }

    /// <summary>Rows left out and fields filled because of empty fields, per column; <see cref="MissingValues.Describe"/> says it in a sentence.</summary>
    public MissingValues Missing { get; init; } = new();

    /// <summary>When streaming: rows read, shuffled and trained on at a time.</summary>
    public int ShuffleBuffer { get; init; }

    /// <summary>Per text column, how many test rows held a category not seen in training.</summary>
    public IReadOnlyDictionary<string, int> UnseenTestCategories { get; init; } = new Dictionary<string, int>();
}
