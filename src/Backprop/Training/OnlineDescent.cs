using System.Diagnostics;
using Backprop.Activations;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>
/// The fused paths, <see cref="StepPath.Fused"/> and <see cref="StepPath.Seed"/>: plain gradient
/// descent on one row at a time with the squared error, for a tiny network. Such a step is a few
/// dozen flops, so the calls and checks between the reference path's forward pass, loss, backward
/// pass, norm and update would cost more than the arithmetic. Here one loop does it all per row,
/// and each parameter is updated as soon as its derivative is known (after its old value has gone
/// into the error passed down, as the seed's backward pass uses the old w2).
/// </summary>
/// <remarks>
/// A specialisation of the reference path (<c>NetworkPass.Forward</c>, <c>NetworkPass.Backward</c>,
/// <c>GradientDescent.Step</c>) that keeps its arithmetic: each z and each error passed down is one
/// fused multiply-add chain (from the bias, and from zero) in the kernels' order, values and slopes
/// come from the activations' scalar functions (so only activations whose slope comes from the
/// output, since no z is kept), the update from the optimizer's
/// <see cref="GradientDescent{T}.PlainUpdate"/>. So the weights and losses are bit for bit the
/// reference path's; only the reported gradient norm is summed in another order.
/// <see cref="StepPaths.Select{T}"/> decides where it applies.
/// </remarks>
internal sealed class OnlineDescent<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Widest layer (inputs or units) for which the fused loop beats the one-row path: measured
    /// 1.1-1.9x as fast up to 4 wide, half as fast at 8, where the one-row path's four side-by-side
    /// chains and vector activations win.
    /// </summary>
    public const int MaxWidth = 4;

    private readonly Network<T> _network;
    private readonly GradientDescent<T> _optimizer;
    private readonly DenseLayer[] _layers;
    private readonly int[] _valueOffsets; // where each layer's units start in _a and _delta
    private readonly T[] _a, _delta;
    private readonly bool _isSeed; // 1 -> 1 -> 1: the seed's own network, whose four parameters fit in registers

    private OnlineDescent(Network<T> network, GradientDescent<T> optimizer, bool isSeed)
    {
        _network = network;
        _optimizer = optimizer;
        _layers = [.. network.Layers];
        _valueOffsets = new int[_layers.Length];
        int values = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            _valueOffsets[l] = values;
            values += _layers[l].Units;
        }
        (_a, _delta) = (new T[values], new T[values]);
        _isSeed = isSeed;
    }

    /// <summary>The fused loop of <paramref name="path"/>, or null when it is not a fused path.</summary>
    /// <remarks>The path comes from <see cref="StepPaths.Select{T}"/>, which checked that it applies.</remarks>
    public static OnlineDescent<T>? For(StepPath path, Network<T> network, IOptimizer<T>? optimizer) =>
        path is StepPath.Fused or StepPath.Seed ? new(network, (GradientDescent<T>)optimizer!, path == StepPath.Seed) : null;

    /// <summary>One epoch over <paramref name="order"/> (or the file order), stepping after every row.</summary>
    /// <returns>The summed row losses and gradient norms, the rows stepped, and why it stopped early, if it did.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double LossSum, double NormSum, int Steps, StopReason? Interrupted, bool Diverged) Epoch(
        TrainingData<T> data, int[]? order, double learningRate, Stopwatch clock, TimeSpan? budget, CancellationToken cancellationToken)
    {
        T step = GradientDescent<T>.PlainFactor(learningRate);
        if (_isSeed)
            return SeedEpoch(data, order, step, clock, budget, cancellationToken);
        int features = data.Features, outputs = data.Outputs;
        var layers = _layers;
        int last = layers.Length - 1;
        ref T p = ref MemoryMarshal.GetArrayDataReference(_network.Parameters);
        ref T a = ref MemoryMarshal.GetArrayDataReference(_a);
        ref T delta = ref MemoryMarshal.GetArrayDataReference(_delta);
        ref T inputs = ref MemoryMarshal.GetArrayDataReference(data.Inputs);
        ref T targets = ref MemoryMarshal.GetArrayDataReference(data.Targets);
        int outputOffset = _valueOffsets[last];
        double lossSum = 0, normSum = 0;
        int steps = 0;
        StopReason? interrupted = null;
        bool diverged = false;
        for (int i = 0; i < data.Rows; i++)
        {
            interrupted = Interruption.BeforeStep(cancellationToken, budget, clock);
            if (interrupted is not null)
                break;
            int row = order is null ? i : order[i];
            ref T x0 = ref Unsafe.Add(ref inputs, row * features);

            // Forward: z = b + sum_k x_k w_jk as one chain in k order, a = g(z).
            ref T x = ref x0;
            for (int l = 0; l <= last; l++)
            {
                var layer = layers[l];
                int n = layer.Inputs, units = layer.Units, values = _valueOffsets[l];
                ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
                ref T b = ref Unsafe.Add(ref w, units * n);
                for (int j = 0; j < units; j++)
                {
                    ref T wj = ref Unsafe.Add(ref w, j * n);
                    T acc = Unsafe.Add(ref b, j);
                    for (int k = 0; k < n; k++)
                        acc = T.FusedMultiplyAdd(Unsafe.Add(ref x, k), Unsafe.Add(ref wj, k), acc);
                    Unsafe.Add(ref a, values + j) = layer.Activation.Of(acc);
                }
                x = ref Unsafe.Add(ref a, values);
            }

            // Loss 1/2 sum r^2 with r = y_hat - y, which is also dL/dy_hat.
            double squares = 0;
            ref T y = ref Unsafe.Add(ref targets, row * outputs);
            for (int k = 0; k < outputs; k++)
            {
                T r = Unsafe.Add(ref a, outputOffset + k) - Unsafe.Add(ref y, k);
                double rd = double.CreateTruncating(r);
                squares += rd * rd;
                Unsafe.Add(ref delta, outputOffset + k) = r;
            }
            double loss = 0.5 * squares;
            if (!double.IsFinite(loss))
            {
                diverged = true;
                break;
            }

            // Backward, updating each parameter once its derivative is known.
            double gradientSquares = 0;
            for (int l = last; l >= 0; l--)
            {
                var layer = layers[l];
                int n = layer.Inputs, units = layer.Units, values = _valueOffsets[l];
                int below = l > 0 ? _valueOffsets[l - 1] : 0;
                ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
                ref T b = ref Unsafe.Add(ref w, units * n);
                ref T input = ref l > 0 ? ref Unsafe.Add(ref a, below) : ref x0;
                ref T dx = ref Unsafe.Add(ref delta, below);
                if (l > 0)
                {
                    for (int k = 0; k < n; k++)
                        Unsafe.Add(ref dx, k) = T.Zero;
                }
                for (int j = 0; j < units; j++)
                {
                    T d = layer.Activation.TimesSlope(Unsafe.Add(ref delta, values + j), Unsafe.Add(ref a, values + j));
                    ref T wj = ref Unsafe.Add(ref w, j * n);
                    for (int k = 0; k < n; k++)
                    {
                        T old = Unsafe.Add(ref wj, k);
                        if (l > 0)
                            Unsafe.Add(ref dx, k) = T.FusedMultiplyAdd(d, old, Unsafe.Add(ref dx, k));
                        T g = d * Unsafe.Add(ref input, k);
                        double gd = double.CreateTruncating(g);
                        gradientSquares += gd * gd;
                        Unsafe.Add(ref wj, k) = GradientDescent<T>.PlainUpdate(old, g, step);
                    }
                    double dd = double.CreateTruncating(d);
                    gradientSquares += dd * dd;
                    Unsafe.Add(ref b, j) = GradientDescent<T>.PlainUpdate(Unsafe.Add(ref b, j), d, step);
                }
            }
            lossSum += loss;
            normSum += Math.Sqrt(gradientSquares);
            steps++;
        }
        _optimizer.CountSteps(steps);
        return (lossSum, normSum, steps, interrupted, diverged);
    }

    // The loop above for the seed's network, with its four parameters held in registers rather
    // than reloaded from memory on every use: the step is one chain of dependent operations, so
    // each round trip through memory would add to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double LossSum, double NormSum, int Steps, StopReason? Interrupted, bool Diverged) SeedEpoch(
        TrainingData<T> data, int[]? order, T step, Stopwatch clock, TimeSpan? budget, CancellationToken cancellationToken)
    {
        var parameters = _network.Parameters;
        Activation hidden = _layers[0].Activation, output = _layers[1].Activation;
        T w1 = parameters[0], b1 = parameters[1], w2 = parameters[2], b2 = parameters[3];
        ref T inputs = ref MemoryMarshal.GetArrayDataReference(data.Inputs);
        ref T targets = ref MemoryMarshal.GetArrayDataReference(data.Targets);
        double lossSum = 0, normSum = 0;
        int steps = 0;
        StopReason? interrupted = null;
        bool diverged = false;
        for (int i = 0; i < data.Rows; i++)
        {
            interrupted = Interruption.BeforeStep(cancellationToken, budget, clock);
            if (interrupted is not null)
                break;
            int row = order is null ? i : order[i];
            T x = Unsafe.Add(ref inputs, row), y = Unsafe.Add(ref targets, row);
            T h = hidden.Of(T.FusedMultiplyAdd(x, w1, b1));
            T o = output.Of(T.FusedMultiplyAdd(h, w2, b2));
            T r = o - y;
            double rd = double.CreateTruncating(r);
            double loss = 0.5 * (rd * rd);
            if (!double.IsFinite(loss))
            {
                diverged = true;
                break;
            }
            T d2 = output.TimesSlope(r, o);
            T d1 = hidden.TimesSlope(T.FusedMultiplyAdd(d2, w2, T.Zero), h); // with the old w2, as in the seed
            T g2 = d2 * h, g1 = d1 * x;
            double g2d = double.CreateTruncating(g2), d2d = double.CreateTruncating(d2);
            double g1d = double.CreateTruncating(g1), d1d = double.CreateTruncating(d1);
            w2 = GradientDescent<T>.PlainUpdate(w2, g2, step);
            b2 = GradientDescent<T>.PlainUpdate(b2, d2, step);
            w1 = GradientDescent<T>.PlainUpdate(w1, g1, step);
            b1 = GradientDescent<T>.PlainUpdate(b1, d1, step);
            lossSum += loss;
            normSum += Math.Sqrt(g2d * g2d + d2d * d2d + g1d * g1d + d1d * d1d);
            steps++;
        }
        (parameters[0], parameters[1], parameters[2], parameters[3]) = (w1, b1, w2, b2);
        _optimizer.CountSteps(steps);
        return (lossSum, normSum, steps, interrupted, diverged);
    }
}
