namespace Backprop.Training;

/// <summary>What one epoch did, reported the same way for every optimizer.</summary>
/// <param name="Epoch">1-based epoch number, counting across warm starts.</param>
/// <param name="TrainLoss">
/// Mean data loss (no L2 term) of the training batches as they were seen during the epoch; for
/// L-BFGS, the full-batch loss after the iteration. Same units as <paramref name="ValidationLoss"/>.
/// </param>
/// <param name="ValidationLoss">Data loss on the validation set after the epoch, or null without one.</param>
/// <param name="LearningRate">The rate used in this epoch.</param>
/// <param name="GradientNorm">Mean Euclidean norm of the (unclipped) gradients of the epoch's steps.</param>
/// <param name="Seconds">Wall-clock seconds the epoch took.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double LearningRate, double GradientNorm, double Seconds);
