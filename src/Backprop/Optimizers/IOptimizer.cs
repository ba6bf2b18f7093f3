namespace Backprop.Optimizers;

/// <summary>
/// Turns a gradient into a parameter update. State (velocities, moments, step sizes) is kept in
/// flat arrays laid out like the parameters, and persists across calls and across warm starts.
/// </summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> (dL/dp).</summary>
    /// <param name="parameters">The flat parameter buffer.</param>
    /// <param name="gradients">dL/dp, same layout.</param>
    /// <param name="learningRate">This step's learning rate (ignored by RPROP, which adapts its own steps).</param>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate);

    /// <summary>Every array of the optimizer's state by name, for checkpoints and inspection.</summary>
    IReadOnlyDictionary<string, T[]> State { get; }

    /// <summary>Steps taken so far.</summary>
    long Steps { get; }

    /// <summary>Puts back state captured from <see cref="State"/> and <see cref="Steps"/> (a checkpoint).</summary>
    /// <exception cref="ArgumentException">An array is missing or has the wrong length.</exception>
    void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps);
}
