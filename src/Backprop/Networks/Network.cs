using Backprop.Activations;
using Backprop.Layers;
using Backprop.Numerics;

namespace Backprop.Networks;

/// <summary>
/// A multilayer perceptron: dense layers in sequence over one flat parameter buffer.
/// This is the low-level API: create a <see cref="NetworkPass{T}"/> to run Forward and Backward
/// yourself, and an optimizer to take steps, as the seed does by hand.
/// </summary>
/// <typeparam name="T"><see cref="float"/> (fast) or <see cref="double"/> (exact checks).</typeparam>
/// <remarks>
/// Parameters are laid out layer by layer, W (row-major, [units, inputs]) then b, so that optimizers,
/// gradient checks and model files all work on one vector. Results are bit-identical for a given
/// machine, seed and data whatever the number of threads; they can differ across CPUs with
/// different vector widths.
/// </remarks>
public sealed class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer[] _layers;

    /// <summary>Builds a network with all parameters zero; call <see cref="Initialize"/> or set them.</summary>
    /// <param name="inputs">Number of input features (at least 1).</param>
    /// <param name="layers">The layers from first hidden to output (at least one).</param>
    public Network(int inputs, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputs < 1)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network needs at least 1 input.");
        if (layers.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(layers), "A network needs at least one layer (the output layer).");
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Networks compute in float or double, not {typeof(T).Name}.");
        _layers = new DenseLayer[layers.Count];
        int offset = 0, fanIn = inputs;
        for (int l = 0; l < layers.Count; l++)
        {
            var spec = layers[l];
            if (spec.Units < 1)
                throw new ArgumentOutOfRangeException(nameof(layers), spec.Units, $"Layer {l + 1} has {spec.Units} units; every layer needs at least 1.");
            if (!Enum.IsDefined(spec.Activation))
                throw new ArgumentOutOfRangeException(nameof(layers), spec.Activation, $"Layer {l + 1} has an unknown activation.");
            _layers[l] = new DenseLayer(fanIn, spec.Units, spec.Activation, offset);
            long next = (long)offset + (long)spec.Units * (fanIn + 1);
            if (next > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(layers), "The network has more parameters than one array can hold.");
            offset = (int)next;
            fanIn = spec.Units;
        }
        InputCount = inputs;
        Parameters = new T[offset];
    }

    /// <summary>
    /// A regression network: <paramref name="hidden"/> layers with <paramref name="activation"/>,
    /// then an identity output layer of <paramref name="outputs"/> units.
    /// </summary>
    public static Network<T> Create(int inputs, IReadOnlyList<int> hidden, Activation activation, int outputs)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var specs = new List<LayerSpec>(hidden.Count + 1);
        foreach (int units in hidden)
            specs.Add(new LayerSpec(units, activation));
        specs.Add(new LayerSpec(outputs, Activation.Identity));
        return new Network<T>(inputs, specs);
    }

    /// <summary>Number of input features.</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs (units of the last layer).</summary>
    public int OutputCount => _layers[^1].Units;

    /// <summary>The layers, first hidden to output.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>All weights and biases, layer by layer (W then b). Writable: this is the model.</summary>
    public T[] Parameters { get; }

    /// <summary>The largest batch width any layer has, inputs included.</summary>
    internal int WidestLayer => Math.Max(InputCount, _layers.Max(l => l.Units));

    /// <summary>The weights of one layer, [units, inputs] row-major.</summary>
    public Span<T> Weights(int layer) => Parameters.AsSpan(_layers[layer].WeightOffset, _layers[layer].WeightCount);

    /// <summary>The biases of one layer, [units].</summary>
    public Span<T> Biases(int layer) => Parameters.AsSpan(_layers[layer].BiasOffset, _layers[layer].Units);

    /// <summary>
    /// Draws every weight from the scheme's uniform range and sets biases to 0, all from <paramref name="rng"/>.
    /// </summary>
    public void Initialize(Rng rng, InitScheme scheme = InitScheme.Auto)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (scheme == InitScheme.Auto)
            scheme = _layers[0].Activation is Activation.Relu or Activation.LeakyRelu or Activation.Gelu ? InitScheme.HeUniform : InitScheme.GlorotUniform;
        foreach (var layer in _layers)
        {
            double bound = scheme == InitScheme.HeUniform
                ? Math.Sqrt(6.0 / layer.Inputs)
                : Math.Sqrt(6.0 / (layer.Inputs + layer.Units));
            var w = Parameters.AsSpan(layer.WeightOffset, layer.WeightCount);
            for (int i = 0; i < w.Length; i++)
                w[i] = T.CreateTruncating(rng.NextDouble(-bound, bound));
            Parameters.AsSpan(layer.BiasOffset, layer.Units).Clear();
        }
    }

    /// <summary>Buffers for Forward and Backward on batches of up to <paramref name="maxRows"/> rows.</summary>
    /// <param name="maxRows">The largest batch the pass will see.</param>
    /// <param name="threads">Threads the kernels may use; results are the same for any count.</param>
    public NetworkPass<T> CreatePass(int maxRows, int threads = 1) => new(this, maxRows, threads);

    /// <summary>Computes outputs for <paramref name="rows"/> rows of inputs.</summary>
    /// <param name="outputs">[rows, OutputCount], written.</param>
    /// <param name="inputs">[rows, InputCount].</param>
    /// <param name="rows">Number of rows.</param>
    /// <remarks>Safe to call from several threads at once: each call uses its own buffers.</remarks>
    public void Predict(Span<T> outputs, ReadOnlySpan<T> inputs, int rows)
    {
        const int Chunk = 256;
        if (inputs.Length < rows * InputCount || outputs.Length < rows * OutputCount)
            throw new ArgumentException($"Expected {rows} x {InputCount} inputs and room for {rows} x {OutputCount} outputs.");
        var pass = CreatePass(Math.Min(Math.Max(rows, 1), Chunk));
        var buffer = new T[Math.Min(rows, Chunk) * InputCount];
        for (int start = 0; start < rows; start += Chunk)
        {
            int n = Math.Min(Chunk, rows - start);
            inputs.Slice(start * InputCount, n * InputCount).CopyTo(buffer);
            var y = pass.Forward(buffer, n);
            y.CopyTo(outputs.Slice(start * OutputCount, n * OutputCount));
        }
    }

    /// <summary>A deep copy: same layers, its own parameter buffer.</summary>
    public Network<T> Clone()
    {
        var copy = new Network<T>(InputCount, _layers.Select(l => new LayerSpec(l.Units, l.Activation)).ToArray());
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }
}
