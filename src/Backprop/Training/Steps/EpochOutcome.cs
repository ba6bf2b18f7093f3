namespace Backprop.Training.Steps;

/// <summary>What one epoch of training did.</summary>
/// <param name="TrainLoss">The epoch's mean training loss; NaN when it diverged or was interrupted.</param>
/// <param name="GradientNorm">The mean norm of the epoch's gradients.</param>
/// <param name="Moved">False when the optimizer could not lower the loss any further.</param>
/// <param name="Interrupted">Why the epoch stopped before its end (cancellation, the time budget), or null.</param>
internal readonly record struct EpochOutcome(double TrainLoss, double GradientNorm, bool Moved, StopReason? Interrupted)
{
    /// <summary>An epoch that stopped early for <paramref name="reason"/>, or that diverged when it is null.</summary>
    public static EpochOutcome Stopped(StopReason? reason) => new(double.NaN, double.NaN, false, reason);
}
