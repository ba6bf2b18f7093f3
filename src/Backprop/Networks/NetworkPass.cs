using Backprop.Activations;
using Backprop.Kernels;
using Backprop.Layers;
using Backprop.Losses;

namespace Backprop.Networks;

/// <summary>
/// Preallocated buffers for one network's forward and backward passes on batches of up to
/// <see cref="MaxRows"/> rows, and the gradient they produce. Nothing is allocated per step.
/// </summary>
/// <remarks>
/// Usage, the seed's three steps: <c>Forward(x, n)</c>, then <c>Backward(y, n, loss)</c> (which
/// overwrites <see cref="Gradients"/>), then an optimizer's step. Not thread-safe: one pass per thread.
/// </remarks>
public sealed class NetworkPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Halves need this many rows for the kernels' tiles to stay mostly full.
    private const int MinHalfRows = 32;

    // Multiply-adds per forward pass below which halving a batch costs more than it gives.
    private const long MinSplitWork = 1 << 19;

    // Above this many weights a network's products are big enough to split inside each product
    // (no duplicated packing, no second gradient to add), so batches are not cut.
    private const long MaxSplitWeights = 1 << 18;

    // Gradients from which the sum of the two half-batches' is itself cut in two.
    private const int MinSumSplit = 1 << 13;

    private readonly Network<T> _network;
    private readonly DenseLayer[] _layers; // the network's, as an array: the one-row path indexes it every step
    // The per-layer buffers start on cache lines (CacheAligned): the products read and write them
    // a whole vector at a time.
    private readonly Memory<T>[] _z;      // pre-activations per layer, [n, units]; the same buffer as _a unless g' needs z
    private readonly Memory<T>[] _zOnRequest; // z recomputed for PreActivations where it is not kept
    private readonly Memory<T>[] _a;      // activations per layer, [n, units]
    private readonly Memory<T>[] _delta;  // dL/dz per layer, [n, units]
    private readonly Memory<T> _inputGradient;
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
        _layers = [.. network.Layers];
        int layers = _layers.Length;
        _z = new Memory<T>[layers];
        _zOnRequest = new Memory<T>[layers];
        _a = new Memory<T>[layers];
        _delta = new Memory<T>[layers];
        for (int l = 0; l < layers; l++)
        {
            var layer = _layers[l];
            _a[l] = CacheAligned.Allocate<T>(maxRows * layer.Units);
            // Where g' can be had from a, the activation overwrites z in place: a step then writes
            // and reads one [n, units] buffer per layer instead of two.
            _z[l] = layer.Activation.SlopeNeedsZ() ? CacheAligned.Allocate<T>(maxRows * layer.Units) : _a[l];
            _delta[l] = CacheAligned.Allocate<T>(maxRows * layer.Units);
        }
        _inputGradient = CacheAligned.Allocate<T>(maxRows * network.InputCount);
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

    // Whether a one-row batch takes ForwardRow and BackwardRow, the one-row fast path (the same
    // bits); off, it takes the batched kernels like any other batch: the reference path, which
    // training asks for when its fast paths are off (TrainingOptions.FastPaths).
    internal bool OneRowPath { get; set; } = true;

    /// <summary>Rows in the last forward pass.</summary>
    public int Rows => _rows;

    /// <summary>z of layer <paramref name="layer"/> from the last forward pass, [rows, units].</summary>
    /// <remarks>Layers whose activation is applied in place recompute z on each call, from the layer's input and the current parameters (the forward pass's bits while those are unchanged).</remarks>
    public ReadOnlySpan<T> PreActivations(int layer)
    {
        var spec = _layers[layer];
        int count = _rows * spec.Units;
        if (!_z[layer].Equals(_a[layer]) || spec.Activation == Activation.Identity)
            return _z[layer].Span[..count];
        if (_zOnRequest[layer].IsEmpty)
            _zOnRequest[layer] = CacheAligned.Allocate<T>(MaxRows * spec.Units);
        var z = _zOnRequest[layer];
        var x = layer == 0 ? _input : _a[layer - 1][..(_rows * spec.Inputs)];
        var p = _network.Parameters;
        Gemm.Forward(z[..count], x, p.AsMemory(spec.WeightOffset, spec.WeightCount), p.AsMemory(spec.BiasOffset, spec.Units), _rows, spec.Inputs, spec.Units, Threads);
        return z.Span[..count];
    }

    /// <summary>a = g(z) of layer <paramref name="layer"/> from the last forward pass, [rows, units].</summary>
    public ReadOnlySpan<T> Activations(int layer) => _a[layer].Span[..(_rows * _network.Layers[layer].Units)];

    /// <summary>dL/dz of layer <paramref name="layer"/> from the last backward pass, [rows, units].</summary>
    public ReadOnlySpan<T> Deltas(int layer) => _delta[layer].Span[..(_rows * _network.Layers[layer].Units)];

    /// <summary>Whether Backward also computes <see cref="InputGradients"/> (off by default: training never needs it).</summary>
    public bool ComputeInputGradients { get; set; }

    /// <summary>dL/dx of the inputs from the last backward pass, [rows, inputs], when <see cref="ComputeInputGradients"/> is on.</summary>
    public ReadOnlySpan<T> InputGradients => _inputGradient.Span[..(_rows * _network.InputCount)];

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
        if (rows == 1 && OneRowPath)
            return ForwardRow(inputs.Span[.._network.InputCount]);
        _split = SplitPoint(rows);
        if (_split == 0)
            ForwardRows(0, rows, Threads);
        else
            RunHalves(backward: false);
        return _a[^1].Span[..(rows * _network.OutputCount)];
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
        double value = loss.Evaluate(_delta[^1].Span[..(_rows * outputs)], _a[^1].Span[..(_rows * outputs)], targets, sampleWeights, _rows, outputs);
        BackwardFromOutputGradient();
        return value;
    }

    // Backpropagates the dL/dy_hat already in the last layer's delta buffer.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BackwardFromOutputGradient()
    {
        if (_rows == 1 && OneRowPath)
        {
            BackwardRow(_input.Span[.._network.InputCount]);
            return;
        }
        if (_split == 0)
        {
            BackwardRows(0, _rows, Gradients, Threads);
            return;
        }
        RunHalves(backward: true);
        AddSecondHalfGradients();
    }

    // Gradients += the second half-batch's, in two ranges side by side when there are enough
    // (elementwise, so the same bits either way).
    private unsafe void AddSecondHalfGradients()
    {
        if (Threads < 2 || Gradients.Length < MinSumSplit)
        {
            VectorOps.Axpy<T>(Gradients, T.One, _secondHalfGradients);
            return;
        }
        var job = new HalvesJob { Pass = this };
        Halves.Cut(Gradients.Length, Threads, Unsafe.AsPointer(ref job), &AddRange);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AddRange(void* state, int start, int end)
    {
        var pass = Unsafe.AsRef<HalvesJob>(state).Pass;
        VectorOps.Axpy(pass.Gradients.AsSpan(start, end - start), T.One, pass._secondHalfGradients.AsSpan(start, end - start));
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

    private unsafe void RunHalves(bool backward)
    {
        var job = new HalvesJob { Pass = this, Backward = backward };
        PartnerThread.Run(&RunHalf, Unsafe.AsPointer(ref job), Threads);
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
            var a = _a[l].Slice(r0 * units, n * units);
            _network.Layers[l].Forward<T>(a, _z[l].Slice(r0 * units, n * units), x, p, n, threads);
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
        bool deltaIsDz = false;
        for (int l = _a.Length - 1; l >= 0; l--)
        {
            int units = _network.Layers[l].Units;
            int below = l == 0 ? inputs : _network.Layers[l - 1].Units;
            ReadOnlyMemory<T> x = l == 0 ? _input.Slice(r0 * inputs, n * inputs) : _a[l - 1].Slice(r0 * below, n * below);
            Memory<T> dx = l > 0 ? _delta[l - 1].Slice(r0 * below, n * below)
                : ComputeInputGradients ? _inputGradient.Slice(r0 * inputs, n * inputs) : Memory<T>.Empty;
            // A relu below has its derivative applied as this layer writes dx, from its activations.
            var reluGate = l > 0 && _layers[l - 1].Activation == Activation.Relu ? x : default;
            _network.Layers[l].Backward<T>(dx, _delta[l].Slice(r0 * units, n * units), x,
                _z[l].Slice(r0 * units, n * units), _a[l].Slice(r0 * units, n * units), p, gradients, n, threads, deltaIsDz, reluGate);
            deltaIsDz = !reluGate.IsEmpty;
        }
    }

    /// <summary>
    /// One row's forward pass, loss and backward pass straight from spans, for online training
    /// (batch size 1, the one-row path), where the per-call cost of <see cref="Forward"/> and
    /// <see cref="Backward"/> would be most of the work. The same bits as Forward then Backward on
    /// that one row through the batched kernels: each z and each error passed down is one fused
    /// multiply-add chain in the kernels' order.
    /// </summary>
    /// <returns>The row's loss.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double TrainRow(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeight, LossFunction loss)
    {
        // The inputs are a span the pass cannot keep: a later Backward must find no row to reuse.
        _rows = 0;
        int outputs = _network.OutputCount;
        var predictions = ForwardRow(inputs);
        double value = loss.Evaluate(_delta[^1].Span[..outputs], predictions, targets, sampleWeight, 1, outputs);
        BackwardRow(inputs);
        return value;
    }

    // Each pre-activation is one fused multiply-add chain from the bias over the inputs in order,
    // the batched kernels' arithmetic, so a row's prediction has the same bits alone or in a batch.
    // Four units' chains run side by side so that wide layers are not bound by one chain's latency.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<T> ForwardRow(ReadOnlySpan<T> input)
    {
        ref T p = ref MemoryMarshal.GetArrayDataReference(_network.Parameters);
        ref T x = ref MemoryMarshal.GetReference(input);
        var layers = _layers;
        Span<T> a = [];
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            int inputs = layer.Inputs, units = layer.Units;
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            ref T b = ref Unsafe.Add(ref w, units * inputs);
            var zs = _z[l].Span;
            ref T z = ref MemoryMarshal.GetReference(zs);
            int j = 0;
            for (; j <= units - 4; j += 4)
            {
                ref T w0 = ref Unsafe.Add(ref w, j * inputs);
                ref T w1 = ref Unsafe.Add(ref w0, inputs);
                ref T w2 = ref Unsafe.Add(ref w1, inputs);
                ref T w3 = ref Unsafe.Add(ref w2, inputs);
                T acc0 = Unsafe.Add(ref b, j), acc1 = Unsafe.Add(ref b, j + 1), acc2 = Unsafe.Add(ref b, j + 2), acc3 = Unsafe.Add(ref b, j + 3);
                for (int k = 0; k < inputs; k++)
                {
                    T xk = Unsafe.Add(ref x, k);
                    acc0 = T.FusedMultiplyAdd(xk, Unsafe.Add(ref w0, k), acc0);
                    acc1 = T.FusedMultiplyAdd(xk, Unsafe.Add(ref w1, k), acc1);
                    acc2 = T.FusedMultiplyAdd(xk, Unsafe.Add(ref w2, k), acc2);
                    acc3 = T.FusedMultiplyAdd(xk, Unsafe.Add(ref w3, k), acc3);
                }
                Unsafe.Add(ref z, j) = acc0;
                Unsafe.Add(ref z, j + 1) = acc1;
                Unsafe.Add(ref z, j + 2) = acc2;
                Unsafe.Add(ref z, j + 3) = acc3;
            }
            for (; j < units; j++)
            {
                ref T wj = ref Unsafe.Add(ref w, j * inputs);
                T acc = Unsafe.Add(ref b, j);
                for (int k = 0; k < inputs; k++)
                    acc = T.FusedMultiplyAdd(Unsafe.Add(ref x, k), Unsafe.Add(ref wj, k), acc);
                Unsafe.Add(ref z, j) = acc;
            }
            a = _a[l].Span;
            if (layer.Activation != Activation.Identity) // an identity layer's a is its z
                ActivationFunctions.Forward(layer.Activation, a[..units], zs[..units]);
            x = ref MemoryMarshal.GetReference(a);
        }
        return a[.._network.OutputCount];
    }

    // Backpropagates one row from the dL/dy_hat in the last layer's delta buffer. Every gradient is
    // written, not accumulated (one row's gradient is the whole gradient), so nothing is cleared first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardRow(ReadOnlySpan<T> input)
    {
        ref T p = ref MemoryMarshal.GetArrayDataReference(_network.Parameters);
        ref T g = ref MemoryMarshal.GetArrayDataReference(Gradients);
        var layers = _layers;
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var layer = layers[l];
            int inputs = layer.Inputs, units = layer.Units;
            var deltas = _delta[l].Span;
            if (layer.Activation != Activation.Identity)
                ActivationFunctions.Backward(layer.Activation, deltas[..units], _z[l].Span[..units], _a[l].Span[..units]);
            ref T delta = ref MemoryMarshal.GetReference(deltas);
            ref T x = ref l == 0 ? ref MemoryMarshal.GetReference(input) : ref MemoryMarshal.GetReference(_a[l - 1].Span);
            ref T dw = ref Unsafe.Add(ref g, layer.WeightOffset);
            ref T db = ref Unsafe.Add(ref dw, units * inputs);
            bool wantsDx = l > 0 || ComputeInputGradients;
            var dxBuffer = l > 0 ? _delta[l - 1].Span : _inputGradient.Span;
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            if (inputs >= Vector<T>.Count)
            {
                // Wide rows: the vector kernels, whose call costs little next to the row.
                var xs = MemoryMarshal.CreateReadOnlySpan(ref x, inputs);
                for (int j = 0; j < units; j++)
                {
                    T d = Unsafe.Add(ref delta, j);
                    Unsafe.Add(ref db, j) = d;
                    VectorOps.Multiply(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dw, j * inputs), inputs), d, xs);
                }
                if (!wantsDx)
                    continue;
                var dx = dxBuffer[..inputs];
                dx.Clear();
                for (int j = 0; j < units; j++)
                    VectorOps.MultiplyAdd(dx, Unsafe.Add(ref delta, j), MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref w, j * inputs), inputs));
                continue;
            }
            for (int j = 0; j < units; j++)
            {
                T d = Unsafe.Add(ref delta, j);
                Unsafe.Add(ref db, j) = d;
                ref T dwj = ref Unsafe.Add(ref dw, j * inputs);
                for (int k = 0; k < inputs; k++)
                    Unsafe.Add(ref dwj, k) = d * Unsafe.Add(ref x, k);
            }
            if (!wantsDx)
                continue;
            ref T dxr = ref MemoryMarshal.GetReference(dxBuffer);
            for (int k = 0; k < inputs; k++)
                Unsafe.Add(ref dxr, k) = T.Zero;
            for (int j = 0; j < units; j++)
            {
                T d = Unsafe.Add(ref delta, j);
                ref T wj = ref Unsafe.Add(ref w, j * inputs);
                for (int k = 0; k < inputs; k++)
                    Unsafe.Add(ref dxr, k) = T.FusedMultiplyAdd(d, Unsafe.Add(ref wj, k), Unsafe.Add(ref dxr, k));
            }
        }
    }
}
