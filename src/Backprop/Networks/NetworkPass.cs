using Backprop.Kernels;
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
    private readonly T[] _secondHalfGradients; // the second half-batch's gradient; empty when batches are never cut
    private readonly long _weights;
    private int _split;
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
        foreach (var layer in network.Layers)
            _weights += layer.WeightCount;
        _secondHalfGradients = maxRows >= 2 * MinHalfRows && _weights <= MaxSplitWeights ? new T[Gradients.Length] : [];
    }

    /// <summary>The largest batch this pass accepts.</summary>
    public int MaxRows { get; }

    /// <summary>Threads the kernels may use.</summary>
    public int Threads { get; }

    /// <summary>dL/dp for every parameter, laid out like <see cref="Network{T}.Parameters"/>.</summary>
    public T[] Gradients { get; }

    // Rows in the first half of the last batch when it was cut in two, else 0.
    internal int SplitRows => _split;

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
        _split = SplitPoint(rows);
        if (_split == 0)
            ForwardRows(0, rows, Threads);
        else
            RunHalves(backward: false);
        return _a[^1].AsSpan(0, rows * _network.OutputCount);
    }

    /// <summary>
    /// Computes the loss of the last forward pass against <paramref name="targets"/>, then backpropagates:
    /// <see cref="Gradients"/> is overwritten with dL/dp.
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
        if (_split == 0)
        {
            BackwardRows(0, _rows, Gradients, Threads);
            return;
        }
        RunHalves(backward: true);
        VectorOps.Add<T>(Gradients, _secondHalfGradients);
    }

    // Where a batch is cut in two halves that run side by side, each through every layer; 0 for no
    // cut. Networks small enough that one layer's products are too short to split well (W3's
    // 10-128-128-1 at batch 256) gain most from this. The cut depends on the shapes alone, never on
    // Threads, so a batch's arithmetic (each half's gradient, then their sum) is the same on any
    // number of threads; with one thread the halves simply run one after the other.
    private int SplitPoint(int rows)
    {
        if (_secondHalfGradients.Length == 0 || rows < 2 * MinHalfRows)
            return 0;
        if ((long)rows * _weights < MinSplitWork)
            return 0;
        return rows / 2;
    }

    // Halves need this many rows for the kernels' tiles to stay mostly full.
    private const int MinHalfRows = 32;

    // Multiply-adds per forward pass below which halving a batch costs more than it gives.
    private const long MinSplitWork = 1 << 19;

    // Above this many weights a network's products are big enough to split inside each product
    // (no duplicated packing, no second gradient to add), so batches are not cut.
    private const long MaxSplitWeights = 1 << 18;

    private unsafe void RunHalves(bool backward)
    {
        var job = new HalvesJob { Pass = this, Backward = backward };
        if (Threads > 1)
        {
            PartnerThread.Run(&RunHalf, Unsafe.AsPointer(ref job));
            return;
        }
        RunHalf(Unsafe.AsPointer(ref job), 0);
        RunHalf(Unsafe.AsPointer(ref job), 1);
    }

    private struct HalvesJob
    {
        public NetworkPass<T> Pass;
        public bool Backward;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunHalf(void* state, int half)
    {
        ref var job = ref Unsafe.AsRef<HalvesJob>(state);
        var pass = job.Pass;
        int r0 = half == 0 ? 0 : pass._split, r1 = half == 0 ? pass._split : pass._rows;
        if (job.Backward)
            pass.BackwardRows(r0, r1, half == 0 ? pass.Gradients : pass._secondHalfGradients, 1);
        else
            pass.ForwardRows(r0, r1, 1);
    }

    // The forward pass of rows [r0, r1) through every layer.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardRows(int r0, int r1, int threads)
    {
        var p = _network.Parameters;
        int n = r1 - r0, inputs = _network.InputCount;
        ReadOnlyMemory<T> x = _input.Slice(r0 * inputs, n * inputs);
        for (int l = 0; l < _a.Length; l++)
        {
            int units = _network.Layers[l].Units;
            var a = _a[l].AsMemory(r0 * units, n * units);
            _network.Layers[l].Forward<T>(a, _z[l].AsMemory(r0 * units, n * units), x, p, n, threads);
            x = a;
        }
    }

    // The backward pass of rows [r0, r1) from the deltas the loss left in the last layer; every
    // layer writes its whole gradient into gradients, so nothing needs clearing first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardRows(int r0, int r1, T[] gradients, int threads)
    {
        var p = _network.Parameters;
        int n = r1 - r0, inputs = _network.InputCount;
        for (int l = _a.Length - 1; l >= 0; l--)
        {
            int units = _network.Layers[l].Units;
            int below = l == 0 ? inputs : _network.Layers[l - 1].Units;
            ReadOnlyMemory<T> x = l == 0 ? _input.Slice(r0 * inputs, n * inputs) : _a[l - 1].AsMemory(r0 * below, n * below);
            Memory<T> dx = l > 0 ? _delta[l - 1].AsMemory(r0 * below, n * below)
                : ComputeInputGradients ? _inputGradient.AsMemory(r0 * inputs, n * inputs) : Memory<T>.Empty;
            _network.Layers[l].Backward<T>(dx, _delta[l].AsMemory(r0 * units, n * units), x,
                _z[l].AsMemory(r0 * units, n * units), _a[l].AsMemory(r0 * units, n * units), p, gradients, n, threads);
        }
    }
}
