using Backprop.Kernels;
using Backprop.Losses;
using Backprop.Networks;

namespace Backprop.Training;

/// <summary>
/// The function training minimises: the data loss plus the L2 penalty lambda/2 * sum of squared
/// weights, with its gradient. Shared by the training loop, L-BFGS and the gradient checker so
/// that what is checked is exactly what is trained.
/// </summary>
internal sealed class Objective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly LossFunction _loss;
    private readonly double _l2;

    // oneRowPath: whether a one-row batch takes the pass's one-row shortcut (FastPaths.OneRow).
    public Objective(Network<T> network, LossFunction loss, double l2, int maxRows, int threads, bool oneRowPath = true)
    {
        _network = network;
        _loss = loss;
        _l2 = l2;
        Pass = network.CreatePass(maxRows, threads);
        Pass.OneRowPath = oneRowPath;
    }

    public NetworkPass<T> Pass { get; }

    // Loss of one batch; Pass.Gradients receives the full gradient (data + L2). Returns the data loss
    // and, through penalty, the L2 term.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Batch(ReadOnlyMemory<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows, out double penalty)
    {
        Pass.Forward(inputs, rows);
        double data = Pass.Backward(targets, _loss, weights);
        penalty = AddPenalty(Pass.Gradients, 1.0);
        return data;
    }

    // Batch for a single row, on spans (online training).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> weight)
    {
        double data = Pass.TrainRow(inputs, targets, weight, _loss);
        AddPenalty(Pass.Gradients, 1.0);
        return data;
    }

    // Loss over all rows of data, in chunks the size of the pass, weighted so the result equals one
    // pass over everything. gradient receives the full gradient; returns data loss + penalty.
    public double Full(TrainingData<T> data, T[] gradient, out double dataLoss)
    {
        Array.Clear(gradient);
        double total = data.TotalWeight;
        double loss = 0;
        foreach (var (start, n, chunkWeight) in Chunks(data, Pass.MaxRows))
        {
            Pass.Forward(data.Inputs.AsMemory(start * data.Features, n * data.Features), n);
            loss += chunkWeight * Pass.Backward(data.Targets.AsSpan(start * data.Outputs, n * data.Outputs), _loss, WeightsOf(data, start, n));
            VectorOps.Axpy(gradient.AsSpan(), T.CreateTruncating(chunkWeight / total), Pass.Gradients);
        }
        dataLoss = loss / total;
        return dataLoss + AddPenalty(gradient, 1.0);
    }

    // Data loss of the network on data, without gradients (validation).
    public double Evaluate(TrainingData<T> data, NetworkPass<T> pass)
    {
        double loss = 0;
        foreach (var (start, n, chunkWeight) in Chunks(data, pass.MaxRows))
        {
            var predictions = pass.Forward(data.Inputs.AsMemory(start * data.Features, n * data.Features), n);
            loss += chunkWeight * _loss.Evaluate(predictions, data.Targets.AsSpan(start * data.Outputs, n * data.Outputs), WeightsOf(data, start, n), n, data.Outputs);
        }
        return loss / data.TotalWeight;
    }

    // Consecutive row ranges of at most chunk rows, with their total weight; all-zero-weight ranges
    // are skipped since they contribute nothing.
    private static IEnumerable<(int Start, int Rows, double Weight)> Chunks(TrainingData<T> data, int chunk)
    {
        for (int start = 0; start < data.Rows; start += chunk)
        {
            int n = Math.Min(chunk, data.Rows - start);
            double weight = data.Weights is null ? n : VectorOps.Sum<T>(data.Weights.AsSpan(start, n));
            if (weight > 0)
                yield return (start, n, weight);
        }
    }

    private static ReadOnlySpan<T> WeightsOf(TrainingData<T> data, int start, int rows) =>
        data.Weights is null ? default : data.Weights.AsSpan(start, rows);

    // Adds lambda * w to the weights' gradient; returns lambda/2 * sum w^2. Biases are not penalised.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double AddPenalty(T[] gradient, double scale)
    {
        if (_l2 == 0)
            return 0;
        double sum = 0;
        T lambda = T.CreateTruncating(_l2 * scale);
        foreach (var layer in _network.Layers)
        {
            var w = _network.Parameters.AsSpan(layer.WeightOffset, layer.WeightCount);
            sum += VectorOps.SumOfSquares<T>(w);
            VectorOps.Axpy(gradient.AsSpan(layer.WeightOffset, layer.WeightCount), lambda, w);
        }
        return 0.5 * _l2 * scale * sum;
    }

}
