using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>What a <see cref="TableModel.Fit"/> run found and did.</summary>
public sealed record TableReport
{
    /// <summary>The data read and how it was split.</summary>
    public required DataSummary Data { get; init; }

    /// <summary>
    /// The scores of each part that has rows, in order: for one network train (unless streamed),
    /// validation and test; for the search "out-of-fold" (every training row scored by the fold
    /// network that did not train on it) and test.
    /// </summary>
    public required IReadOnlyList<ScoredRows> Scores { get; init; }

    /// <summary>Warnings about the data, as reported while fitting.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Notices about the columns (left out, row counters, names matched in another case), as reported while fitting.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>The cross-validated search that chose the networks: leaderboard, fold scores, time; null when one network was trained as given.</summary>
    public SearchReport? Search { get; init; }

    /// <summary>
    /// Why training stopped, the epoch kept and, when it did not converge, what to change
    /// (<see cref="TrainingResult.Hint"/>). For the search: the first fold network's; Cancelled with
    /// no epochs when the search was interrupted.
    /// </summary>
    public required TrainingResult Result { get; init; }

    /// <summary>Whether the loss became NaN or infinite; such a model should not be saved.</summary>
    public bool Diverged => Result.Reason == StopReason.Diverged;

    /// <summary>Whether the run was stopped through its cancellation token (Ctrl+C) before it finished.</summary>
    public bool Interrupted => Result.Reason == StopReason.Cancelled;

    /// <summary>
    /// Whether the fit produced a model worth saving: the loss stayed finite and at least one epoch
    /// completed. A run interrupted before its first epoch holds only its initial weights.
    /// </summary>
    public bool HasTrainedModel => !Diverged && Result.EpochsRun > 0;

    internal ReportDocument ToDocument() => new(
        new DataSummaryDocument(Path.GetFileName(Data.File), Data.Streamed, Data.Rows, Data.Inputs, Data.Columns, Data.TrainRows, Data.ValidationRows, Data.TestRows, Data.DroppedRows, Data.Folds),
        Scores.Select(part => part.ToDocument(Data.Targets)).ToArray(),
        Warnings,
        Search?.ToDocument(Data.Targets));
}
