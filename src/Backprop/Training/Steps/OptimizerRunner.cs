using Backprop.Optimizers;

namespace Backprop.Training.Steps;

/// <summary>
/// How one family of optimizers trains, an epoch at a time, and what of it a checkpoint keeps:
/// step-based optimizers take a step per batch (<see cref="StepRunner{T}"/>), L-BFGS one
/// iteration over all the rows per epoch (<see cref="LbfgsRunner{T}"/>). The trainer asks its
/// runner, never which optimizer it has.
/// </summary>
internal abstract class OptimizerRunner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step-based optimizer, or null when the runner drives another kind (L-BFGS).</summary>
    public abstract IOptimizer<T>? Optimizer { get; }

    /// <summary>Steps (L-BFGS: iterations that moved) taken so far.</summary>
    public abstract long Steps { get; }

    /// <summary>Rows the objective's pass must hold to train on <paramref name="rows"/> rows in batches of <paramref name="batch"/>.</summary>
    public abstract int PassRows(int batch, int rows);

    /// <summary>Throws <see cref="NotSupportedException"/> when this optimizer cannot train on a stream of chunks.</summary>
    public virtual void ThrowIfCannotStream()
    {
    }

    /// <summary>One epoch over <paramref name="data"/> in batches of <paramref name="batch"/>, shuffling <paramref name="order"/> in place when the options ask for it.</summary>
    public abstract IEpoch Epoch(Objective<T> objective, TrainingData<T> data, int batch, int[] order);

    /// <summary>The optimizer's state arrays by name, as doubles, for a checkpoint.</summary>
    public abstract IReadOnlyDictionary<string, double[]> CaptureState();

    /// <summary>Puts back what <see cref="CaptureState"/> and <see cref="Steps"/> returned.</summary>
    /// <exception cref="ArgumentException">The state does not fit this optimizer.</exception>
    public abstract void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps);
}
