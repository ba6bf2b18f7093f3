using System.Diagnostics;
using Backprop.Kernels;
using Backprop.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training.Steps;

/// <summary>
/// One epoch of a step-based optimizer over rows in memory: the rows in shuffled (or file) order,
/// a step per batch, with the gathered batch's buffers reused from epoch to epoch. The seed's
/// setting takes the fused loop of <see cref="OnlineDescent{T}"/> when it applies.
/// </summary>
internal sealed class MiniBatchEpoch<T> : IEpoch where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingOptions _options;
    private readonly IOptimizer<T> _optimizer;
    private readonly T[] _parameters;
    private readonly Rng _rng;
    private readonly Objective<T> _objective;
    private readonly TrainingData<T> _data;
    private readonly int _batch;
    private readonly int[] _order;
    private readonly BatchGather<T>? _gather;
    private readonly StepPath _path;
    private readonly OnlineDescent<T>? _online;

    /// <summary>Prepares epochs over <paramref name="data"/> in batches of <paramref name="batch"/> rows, shuffling <paramref name="order"/> before each.</summary>
    public MiniBatchEpoch(RunnerSetup<T> setup, IOptimizer<T> optimizer, Objective<T> objective, TrainingData<T> data, int batch, int[] order)
    {
        (_options, _optimizer, _parameters, _rng) = (setup.Options, optimizer, setup.Network.Parameters, setup.Rng);
        (_objective, _data, _batch, _order) = (objective, data, batch, order);
        _path = StepPaths.Select(setup.Network, optimizer, setup.Options, data, batch);
        // A single row on the one-row path is read in place; a shuffled batch on the reference path is gathered.
        _gather = _options.Shuffle && _path == StepPath.Batched ? new BatchGather<T>(data, order, batch) : null;
        _online = OnlineDescent<T>.For(_path, setup.Network, optimizer);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EpochOutcome Run(double rate, Stopwatch clock, CancellationToken cancellationToken)
    {
        var options = _options;
        var optimizer = _optimizer;
        var parameters = _parameters;
        var gradients = _objective.Pass.Gradients;
        bool shuffle = options.Shuffle;
        if (shuffle)
            _rng.Shuffle(_order);
        if (_online is not null)
        {
            var epoch = _online.Epoch(_data, shuffle ? _order : null, rate, clock, options.TimeBudget, cancellationToken);
            if (epoch.Interrupted is not null || epoch.Diverged)
                return EpochOutcome.Stopped(epoch.Interrupted);
            return new EpochOutcome(epoch.LossSum / epoch.Steps, epoch.NormSum / Math.Max(epoch.Steps, 1), true, null);
        }
        int features = _data.Features, outputs = _data.Outputs;
        double lossSum = 0, weightSum = 0, normSum = 0;
        int threads = options.EffectiveThreads;
        int steps = 0;
        for (int start = 0; start < _data.Rows; start += _batch)
        {
            if (Interruption.BeforeStep(cancellationToken, options.TimeBudget, clock) is { } reason)
                return EpochOutcome.Stopped(reason);
            double loss, batchWeight;
            if (_path == StepPath.OneRow)
            {
                // Online: the row is read in place, neither gathered nor wrapped in memory.
                int row = shuffle ? _order[start] : start;
                var w = _data.Weights is null ? default : _data.Weights.AsSpan(row, 1);
                batchWeight = w.IsEmpty ? 1 : double.CreateTruncating(w[0]);
                if (batchWeight == 0)
                    continue;
                loss = _objective.Row(_data.Inputs.AsSpan(row * features, features), _data.Targets.AsSpan(row * outputs, outputs), w);
            }
            else
            {
                int n = Math.Min(_batch, _data.Rows - start);
                ReadOnlyMemory<T> x;
                ReadOnlySpan<T> y, w;
                if (_gather is { } gather)
                {
                    gather.Gather(start, n, threads);
                    x = gather.Inputs;
                    y = gather.Targets.AsSpan(0, n * outputs);
                    w = _data.Weights is null ? default : gather.Weights.AsSpan(0, n);
                }
                else
                {
                    x = _data.Inputs.AsMemory(start * features, n * features);
                    y = _data.Targets.AsSpan(start * outputs, n * outputs);
                    w = _data.Weights is null ? default : _data.Weights.AsSpan(start, n);
                }
                batchWeight = w.IsEmpty ? n : VectorOps.Sum(w);
                if (batchWeight == 0)
                    continue; // a batch of zero-weight rows carries no gradient
                loss = _objective.Batch(x, y, w, n, out _);
            }
            if (!double.IsFinite(loss))
                return EpochOutcome.Stopped(null);
            double norm = ParallelStep<T>.Run(optimizer, parameters, gradients, rate, options.ClipNorm, threads);
            lossSum += loss * batchWeight;
            weightSum += batchWeight;
            normSum += norm;
            steps++;
        }
        return new EpochOutcome(lossSum / weightSum, normSum / Math.Max(steps, 1), true, null);
    }
}
