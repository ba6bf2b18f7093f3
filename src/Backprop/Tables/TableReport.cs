using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>What a <see cref="TableModel.Fit"/> run found and did.</summary>
public sealed record TableReport
{
    /// <summary>The data read and how it was split.</summary>
    public required DataSummary Data { get; init; }

    /// <summary>Train (unless streamed), validation and test scores, in that order, for the parts that have rows.</summary>
    public required IReadOnlyList<ScoredRows> Scores { get; init; }

    /// <summary>Warnings about the data, as reported while fitting.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Notices about the columns (left out, row counters, names matched in another case), as reported while fitting.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Why training stopped, the epoch kept and, when it did not converge, what to change (<see cref="TrainingResult.Hint"/>).</summary>
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
        new DataSummaryDocument(Path.GetFileName(Data.File), Data.Streamed, Data.Rows, Data.Inputs, Data.Columns, Data.TrainRows, Data.ValidationRows, Data.TestRows, Data.DroppedRows),
        Scores.Select(part => part.ToDocument(Data.Targets)).ToArray(),
        Warnings);
}
