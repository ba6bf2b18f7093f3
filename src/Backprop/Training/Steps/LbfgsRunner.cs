using System.Diagnostics;
using Backprop.Optimizers;

namespace Backprop.Training.Steps;

/// <summary>Runs L-BFGS: each epoch is one iteration on the loss and gradient over every row.</summary>
internal sealed class LbfgsRunner<T>(RunnerSetup<T> setup, Lbfgs<T> lbfgs) : OptimizerRunner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Rows the pass evaluates at a time on the way through the whole set.
    private const int PassChunk = 1024;

    /// <inheritdoc />
    public override IOptimizer<T>? Optimizer => null;

    /// <inheritdoc />
    public override long Steps => lbfgs.Steps;

    /// <inheritdoc />
    public override int PassRows(int batch, int rows) => Math.Min(rows, PassChunk);

    /// <inheritdoc />
    public override void ThrowIfCannotStream() =>
        throw new NotSupportedException("L-BFGS needs the whole training set at every iteration; stream with a mini-batch optimizer (adam, sgd, ...) instead.");

    /// <inheritdoc />
    public override IEpoch Epoch(Objective<T> objective, TrainingData<T> data, int batch, int[] order) =>
        new Iteration(setup.Network.Parameters, lbfgs, objective, data);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double[]> CaptureState() => lbfgs.CaptureState();

    /// <inheritdoc />
    /// <remarks>The step count travels inside the state's counters.</remarks>
    public override void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps) => lbfgs.RestoreState(state);

    private sealed class Iteration(T[] parameters, Lbfgs<T> lbfgs, Objective<T> objective, TrainingData<T> data) : IEpoch
    {
        private readonly T[] _fullGradient = new T[parameters.Length];

        public EpochOutcome Run(double rate, Stopwatch clock, CancellationToken cancellationToken)
        {
            double dataLoss = double.NaN;
            var step = lbfgs.Iterate(parameters, gradient =>
            {
                double total = objective.Full(data, gradient, out double loss);
                dataLoss = loss;
                return total;
            });
            if (!step.Moved)
                objective.Full(data, _fullGradient, out dataLoss);
            return new EpochOutcome(dataLoss, step.GradientNorm, step.Moved, null);
        }
    }
}
