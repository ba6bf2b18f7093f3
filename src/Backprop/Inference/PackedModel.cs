using Backprop.Activations;
using Backprop.Kernels;
using Backprop.Networks;
using Backprop.Preprocessing;

namespace Backprop.Inference;

/// <summary>
/// A fitted network made ready for forward passes only, once: each layer's weights turned to
/// wt: [inputs, units], the layout the one-row and batched kernels read in place, with the input
/// scaling and the output un-scaling applied as rows go in and out. Immutable, so any number of
/// threads may predict with it at once; the buffers a call needs are the calling thread's.
/// </summary>
internal abstract class PackedModel
{
    protected PackedModel(int features, int outputs, long multiplyAdds)
    {
        Features = features;
        Outputs = outputs;
        MultiplyAdds = multiplyAdds;
    }

    /// <summary>
    /// Rows per pass through the layers: two [rows, widest] buffers of this height stay in the
    /// second-level cache, so each layer reads what the one before wrote while it is still there.
    /// </summary>
    public const int RowsPerPass = 256;

    /// <summary>Inputs per row.</summary>
    public int Features { get; }

    /// <summary>Outputs per row.</summary>
    public int Outputs { get; }

    /// <summary>Multiply-adds per row: what a batch costs, for the decision to share it between threads.</summary>
    public long MultiplyAdds { get; }

    /// <summary>Lays out <paramref name="network"/> with the scalers it was fitted with (null: none).</summary>
    public static PackedModel Create<T>(Network<T> network, Standardizer? inputScaler, Standardizer? outputScaler)
        where T : unmanaged, IFloatingPointIeee754<T> => new PackedModel<T>(network, inputScaler, outputScaler);

    /// <summary>
    /// outputs: [rows, Outputs] = the network on inputs: [rows, Features], in the targets' units; with
    /// <paramref name="add"/>, added to what outputs holds instead. The lengths are the caller's to check.
    /// </summary>
    public abstract void Forward(ReadOnlySpan<double> inputs, Span<double> outputs, int rows, bool add);

    /// <inheritdoc cref="Forward(ReadOnlySpan{double}, Span{double}, int, bool)"/>
    public abstract void Forward(ReadOnlySpan<float> inputs, Span<double> outputs, int rows, bool add);
}

/// <summary>A <see cref="PackedModel"/> computing in <typeparamref name="T"/>, the precision it was trained in.</summary>
internal sealed class PackedModel<T> : PackedModel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer[] _layers;
    private readonly double[]? _inputMean, _inputScale, _outputMean, _outputScale;
    private readonly int _widest;

    private readonly record struct Layer(int Inputs, int Units, Activation Activation, ReadOnlyMemory<T> Turned, ReadOnlyMemory<T> Bias);

    public PackedModel(Network<T> network, Standardizer? inputScaler, Standardizer? outputScaler)
        : base(network.InputCount, network.OutputCount, network.Layers.Sum(l => (long)l.WeightCount))
    {
        _layers = new Layer[network.Layers.Count];
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = network.Layers[l];
            var turned = CacheAligned.Allocate<T>(layer.WeightCount);
            var bias = CacheAligned.Allocate<T>(layer.Units);
            var w = network.Weights(l);
            var wt = turned.Span;
            for (int j = 0; j < layer.Units; j++)
            {
                for (int k = 0; k < layer.Inputs; k++)
                    wt[k * layer.Units + j] = w[j * layer.Inputs + k];
            }
            network.Biases(l).CopyTo(bias.Span);
            _layers[l] = new Layer(layer.Inputs, layer.Units, layer.Activation, turned, bias);
        }
        _widest = network.WidestLayer;
        // Copies: the model's scalers are records a caller could still change.
        (_inputMean, _inputScale) = (inputScaler?.Mean.ToArray(), inputScaler?.Scale.ToArray());
        (_outputMean, _outputScale) = (outputScaler?.Mean.ToArray(), outputScaler?.Scale.ToArray());
    }

    public override void Forward(ReadOnlySpan<double> inputs, Span<double> outputs, int rows, bool add) => Forward<double>(inputs, outputs, rows, add);

    public override void Forward(ReadOnlySpan<float> inputs, Span<double> outputs, int rows, bool add) => Forward<float>(inputs, outputs, rows, add);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward<TIn>(ReadOnlySpan<TIn> inputs, Span<double> outputs, int rows, bool add)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        var buffers = InferenceScratch<T>.Get(Math.Min(rows, RowsPerPass) * Math.Max(Features, _widest));
        for (int start = 0; start < rows; start += RowsPerPass)
        {
            int n = Math.Min(RowsPerPass, rows - start);
            ScaleInputs(inputs.Slice(start * Features, n * Features), buffers.Input.Span);
            var y = n == 1 ? ForwardRow(buffers) : ForwardRows(buffers, n);
            ScaleOutputs(y.Span[..(n * Outputs)], outputs.Slice(start * Outputs, n * Outputs), add);
        }
    }

    // One row: the matrix-vector kernel, layer by layer between the two buffers.
    private Memory<T> ForwardRow(InferenceScratch<T> buffers)
    {
        Memory<T> x = buffers.Input, z = buffers.Even;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            z = l % 2 == 0 ? buffers.Even : buffers.Odd;
            var zs = z.Span[..layer.Units];
            RowProduct.Forward(zs, x.Span, layer.Turned.Span, layer.Bias.Span, layer.Inputs, layer.Units);
            if (layer.Activation != Activation.Identity)
                ActivationFunctions.Forward<T>(layer.Activation, zs, zs);
            x = z;
        }
        return z;
    }

    // Several rows: the panel kernels, reading the turned weights in place, with the activation
    // applied to each block as it is finished.
    private Memory<T> ForwardRows(InferenceScratch<T> buffers, int n)
    {
        Memory<T> x = buffers.Input, z = buffers.Even;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            z = (l % 2 == 0 ? buffers.Even : buffers.Odd)[..(n * layer.Units)];
            Gemm.ForwardTurned(z, x[..(n * layer.Inputs)], layer.Turned, layer.Bias, n, layer.Inputs, layer.Units, threads: 1, activation: layer.Activation, a: z);
            x = z;
        }
        return z;
    }

    // x' = (x - mean) / scale in double, then rounded to T: Standardizer.Transform's arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaleInputs<TIn>(ReadOnlySpan<TIn> inputs, Span<T> x)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        int features = Features;
        if (_inputMean is null || _inputScale is null)
        {
            for (int i = 0; i < inputs.Length; i++)
                x[i] = T.CreateTruncating(double.CreateTruncating(inputs[i]));
            return;
        }
        var mean = _inputMean.AsSpan(0, features);
        var scale = _inputScale.AsSpan(0, features);
        for (int start = 0; start < inputs.Length; start += features)
        {
            var row = inputs.Slice(start, features);
            var target = x.Slice(start, features);
            for (int j = 0; j < row.Length; j++)
                target[j] = T.CreateTruncating((double.CreateTruncating(row[j]) - mean[j]) / scale[j]);
        }
    }

    // y = y' scale + mean in double: Standardizer.InverseTransform's arithmetic; added to outputs with add.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaleOutputs(ReadOnlySpan<T> y, Span<double> outputs, bool add)
    {
        int count = Outputs;
        for (int start = 0; start < y.Length; start += count)
        {
            var row = y.Slice(start, count);
            var target = outputs.Slice(start, count);
            for (int j = 0; j < row.Length; j++)
            {
                double value = double.CreateTruncating(row[j]);
                if (_outputMean is not null && _outputScale is not null)
                    value = value * _outputScale[j] + _outputMean[j];
                target[j] = add ? target[j] + value : value;
            }
        }
    }
}
