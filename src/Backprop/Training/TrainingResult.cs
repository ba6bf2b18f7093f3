namespace Backprop.Training;

/// <summary>The outcome of one call to fit.</summary>
/// <param name="Reason">Why training stopped.</param>
/// <param name="EpochsRun">Epochs of this run (a resumed run counts those before its checkpoint too).</param>
/// <param name="BestEpoch">The epoch whose weights the network now holds (1-based, across warm starts).</param>
/// <param name="Converged">
/// False when the run ended before the loss settled (epoch limit or time budget while the monitored
/// loss was still falling, or divergence); <paramref name="Hint"/> then says what to change.
/// </param>
/// <param name="Hint">One actionable sentence when something should change, else null.</param>
public sealed record TrainingResult(StopReason Reason, int EpochsRun, int BestEpoch, bool Converged, string? Hint);
