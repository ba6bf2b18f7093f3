namespace Backprop.Training;

/// <summary>
/// Which specialisations of the reference path (<see cref="StepPath.Batched"/>) training may take;
/// see <see cref="StepPaths.Select{T}"/> for when each applies. Each gives the reference path's
/// weights and losses bit for bit, so turning them off changes speed only: it is how tests reach
/// the reference path on configurations a fast path would otherwise take.
/// </summary>
[Flags]
internal enum FastPaths
{
    /// <summary>Every step through the batched Forward and Backward, one-row batches included.</summary>
    None = 0,

    /// <summary><see cref="StepPath.OneRow"/>, and the pass's own shortcut for any one-row batch.</summary>
    OneRow = 1,

    /// <summary><see cref="StepPath.Fused"/>.</summary>
    Fused = 2,

    /// <summary><see cref="StepPath.Seed"/>.</summary>
    Seed = 4,

    /// <summary>Every fast path where it applies: the default.</summary>
    All = OneRow | Fused | Seed,
}
