namespace Backprop.Training;

/// <summary>
/// Everything a <see cref="Trainer{T}"/> needs, besides the network's weights, to go on exactly as
/// if it had never stopped: optimizer state, learning-rate schedule, shuffling generator and row
/// order, epoch counts, early-stopping progress and history. Captured at epoch boundaries.
/// </summary>
/// <remarks>Plain data (all numbers as doubles, exact for float networks), so it serializes to JSON.</remarks>
public sealed record TrainerState
{
    /// <summary>Epochs completed across all runs.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>Epochs completed in the current run.</summary>
    public int RunEpochs { get; init; }

    /// <summary>Why the current run had already stopped (early stopping, convergence), or null if it goes on.</summary>
    public StopReason? RunStopReason { get; init; }

    /// <summary>Best monitored loss of the current run (infinity before the first epoch).</summary>
    public double BestLoss { get; init; } = double.PositiveInfinity;

    /// <summary>The epoch of <see cref="BestLoss"/>.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs since the last improvement.</summary>
    public int Stale { get; init; }

    /// <summary>False once the monitored loss has stalled for the patience.</summary>
    public bool LossStillFalling { get; init; } = true;

    /// <summary>
    /// The current run's loss before its first epoch, on a sample of the training rows (NaN when not
    /// measured): its end is compared with this to tell a run that made the model worse.
    /// </summary>
    public double StartLoss { get; init; } = double.NaN;

    /// <summary>The weights of the best epoch so far.</summary>
    public double[] BestParameters { get; init; } = [];

    /// <summary>The shuffling generator's state.</summary>
    public ulong[] Rng { get; init; } = [];

    /// <summary>The current row order (each epoch reshuffles the previous one).</summary>
    public int[] Order { get; init; } = [];

    /// <summary>The learning-rate schedule's state.</summary>
    public double[] Schedule { get; init; } = [];

    /// <summary>The optimizer's arrays by name.</summary>
    public IReadOnlyDictionary<string, double[]> Optimizer { get; init; } = new Dictionary<string, double[]>();

    /// <summary>Steps the optimizer has taken.</summary>
    public long OptimizerSteps { get; init; }

    /// <summary>Every epoch's record so far.</summary>
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
}
