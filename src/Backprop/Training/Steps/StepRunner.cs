using Backprop.Optimizers;

namespace Backprop.Training.Steps;

/// <summary>Runs a step-based optimizer (gradient descent, Adam, RPROP...): a step per batch, batches in shuffled order.</summary>
internal sealed class StepRunner<T>(RunnerSetup<T> setup, IOptimizer<T> optimizer) : OptimizerRunner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override IOptimizer<T> Optimizer => optimizer;

    /// <inheritdoc />
    public override long Steps => optimizer.Steps;

    /// <inheritdoc />
    public override int PassRows(int batch, int rows) => batch;

    /// <inheritdoc />
    public override IEpoch Epoch(Objective<T> objective, TrainingData<T> data, int batch, int[] order) =>
        new MiniBatchEpoch<T>(setup, optimizer, objective, data, batch, order);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double[]> CaptureState() => OptimizerState.ToDoubles(optimizer.State);

    /// <inheritdoc />
    public override void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps) => optimizer.RestoreState(state, steps);
}
