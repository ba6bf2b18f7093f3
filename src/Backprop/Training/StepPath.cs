namespace Backprop.Training;

/// <summary>The code that runs one epoch's steps; chosen by <see cref="StepPaths.Select{T}"/>.</summary>
internal enum StepPath
{
    /// <summary>
    /// The reference path: <c>NetworkPass.Forward</c> and <c>NetworkPass.Backward</c> over each batch,
    /// then the optimizer's <c>Step</c>. Every configuration can take it; docs/derivation.md maps it.
    /// </summary>
    Batched,

    /// <summary>
    /// Online training (batch size 1) through <c>NetworkPass.TrainRow</c>: the same operations on
    /// one row read in place, without the batched kernels' per-call cost.
    /// </summary>
    OneRow,

    /// <summary>
    /// Plain online gradient descent on a small network in one loop per row (<see cref="OnlineDescent{T}"/>):
    /// forward, loss, backward and update, each parameter updated once its derivative is known.
    /// </summary>
    Fused,

    /// <summary>The fused loop for the seed's 1-1-1 network, its four parameters held in registers.</summary>
    Seed,
}
