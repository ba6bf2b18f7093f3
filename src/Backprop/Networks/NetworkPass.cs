using Backprop.Losses;

namespace Backprop.Networks;

/// <summary>
/// Preallocated buffers for one network's forward and backward passes on batches of up to
/// <see cref="MaxRows"/> rows, and the gradient they produce. Nothing is allocated per step.
/// </summary>
/// <remarks>
/// Usage, the seed's three steps: <c>Forward(x, n)</c>, then <c>Backward(y, n, loss)</c> (which
/// zeroes and fills <see cref="Gradients"/>), then an optimizer's step. Not thread-safe: one pass per thread.
/// </remarks>
public sealed class NetworkPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly T[][] _z;      // pre-activations per layer, [n, units]; the same array as _a for identity layers
    private readonly T[][] _a;      // activations per layer, [n, units]
    private readonly T[][] _delta;  // dL/dz per layer, [n, units]
    private readonly T[] _inputGradient;
    private ReadOnlyMemory<T> _input;
    private int _rows;

    internal NetworkPass(Network<T> network, int maxRows, int threads)
    {
        if (maxRows < 1)
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "A pass needs room for at least 1 row.");
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        _network = network;
        MaxRows = maxRows;
        Threads = threads;
        int layers = network.Layers.Count;
        _z = new T[layers][];
        _a = new T[layers][];
        _delta = new T[layers][];
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layers[l];
            _a[l] = new T[maxRows * layer.Units];
            _z[l] = layer.Activation == global::Backprop.Activations.Activation.Identity ? _a[l] : new T[maxRows * layer.Units];
            _delta[l] = new T[maxRows * layer.Units];
        }
        _inputGradient = new T[maxRows * network.InputCount];
        Gradients = new T[network.Parameters.Length];
    }

    /// <summary>The largest batch this pass accepts.</summary>
    public int MaxRows { get; }

    /// <summary>Threads the kernels may use.</summary>
    public int Threads { get; }

    /// <summary>dL/dp for every parameter, laid out like <see cref="Network{T}.Parameters"/>.</summary>
    public T[] Gradients { get; }

    /// <summary>Rows in the last forward pass.</summary>
    public int Rows => _rows;

    /// <summary>z of layer <paramref name="layer"/> from the last forward pass, [rows, units].</summary>
    public ReadOnlySpan<T> PreActivations(int layer) => _z[layer].AsSpan(0, _rows * _network.Layers[layer].Units);

    /// <summary>a = g(z) of layer <paramref name="layer"/> from the last forward pass, [rows, units].</summary>
    public ReadOnlySpan<T> Activations(int layer) => _a[layer].AsSpan(0, _rows * _network.Layers[layer].Units);

    /// <summary>dL/dz of layer <paramref name="layer"/> from the last backward pass, [rows, units].</summary>
    public ReadOnlySpan<T> Deltas(int layer) => _delta[layer].AsSpan(0, _rows * _network.Layers[layer].Units);

    /// <summary>Whether Backward also computes <see cref="InputGradients"/> (off by default: training never needs it).</summary>
    public bool ComputeInputGradients { get; set; }

    /// <summary>dL/dx of the inputs from the last backward pass, [rows, inputs], when <see cref="ComputeInputGradients"/> is on.</summary>
    public ReadOnlySpan<T> InputGradients => _inputGradient.AsSpan(0, _rows * _network.InputCount);

    /// <summary>Runs the forward pass on <paramref name="rows"/> rows of <paramref name="inputs"/>; returns y_hat, [rows, outputs].</summary>
    /// <remarks>The pass keeps a reference to <paramref name="inputs"/> for Backward: don't change it in between.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<T> Forward(ReadOnlyMemory<T> inputs, int rows)
    {
        if (rows < 1 || rows > MaxRows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must be between 1 and {MaxRows}, the size this pass was made for.");
        if (inputs.Length < rows * _network.InputCount)
            throw new ArgumentException($"inputs holds {inputs.Length} values; {rows} rows of {_network.InputCount} features need {rows * _network.InputCount}.", nameof(inputs));
        _input = inputs;
        _rows = rows;
        var p = _network.Parameters;
        if (rows == 1)
        {
            var one = inputs.Span[.._network.InputCount];
            for (int l = 0; l < _a.Length; l++)
            {
                _network.Layers[l].ForwardOne<T>(_a[l], _z[l], one, p);
                one = _a[l].AsSpan(0, _network.Layers[l].Units);
            }
            return _a[^1].AsSpan(0, _network.OutputCount);
        }
        ReadOnlyMemory<T> x = inputs[..(rows * _network.InputCount)];
        for (int l = 0; l < _a.Length; l++)
        {
            _network.Layers[l].Forward<T>(_a[l], _z[l], x, p, rows, Threads);
            x = _a[l];
        }
        return _a[^1].AsSpan(0, rows * _network.OutputCount);
    }

    /// <summary>
    /// Computes the loss of the last forward pass against <paramref name="targets"/>, then backpropagates:
    /// <see cref="Gradients"/> is zeroed and filled with dL/dp.
    /// </summary>
    /// <param name="targets">y, [rows, outputs].</param>
    /// <param name="loss">The loss; <see cref="LossFunction.SquaredError"/> is the seed's.</param>
    /// <param name="sampleWeights">Per-row weights, or null for all ones.</param>
    /// <returns>The (weighted) mean loss over the batch.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Backward(ReadOnlySpan<T> targets, LossFunction loss, ReadOnlySpan<T> sampleWeights = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (_rows == 0)
            throw new InvalidOperationException("Call Forward before Backward.");
        int outputs = _network.OutputCount;
        if (targets.Length < _rows * outputs)
            throw new ArgumentException($"targets holds {targets.Length} values; {_rows} rows of {outputs} outputs need {_rows * outputs}.", nameof(targets));
        double value = loss.Evaluate(_delta[^1].AsSpan(0, _rows * outputs), _a[^1].AsSpan(0, _rows * outputs), targets, sampleWeights, _rows, outputs);
        BackwardFromOutputGradient();
        return value;
    }

    // Backpropagates the dL/dy_hat already in the last layer's delta buffer.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BackwardFromOutputGradient()
    {
        var p = _network.Parameters;
        if (_rows == 1)
        {
            // Every gradient is written, not accumulated, so nothing needs clearing first.
            for (int l = _a.Length - 1; l >= 0; l--)
            {
                ReadOnlySpan<T> x = l == 0 ? _input.Span[.._network.InputCount] : _a[l - 1].AsSpan(0, _network.Layers[l - 1].Units);
                Span<T> dx = l > 0 ? _delta[l - 1] : ComputeInputGradients ? _inputGradient : default;
                _network.Layers[l].BackwardOne<T>(dx, _delta[l], x, _z[l], _a[l], p, Gradients);
            }
            return;
        }
        Array.Clear(Gradients);
        for (int l = _a.Length - 1; l >= 0; l--)
        {
            ReadOnlyMemory<T> x = l == 0 ? _input : _a[l - 1];
            Memory<T> dx = l > 0 ? _delta[l - 1] : ComputeInputGradients ? _inputGradient : Memory<T>.Empty;
            _network.Layers[l].Backward<T>(dx, _delta[l], x, _z[l], _a[l], p, Gradients, _rows, Threads);
        }
    }
}
