using Backprop.Activations;
using Backprop.Kernels;

namespace Backprop.Layers;

/// <summary>
/// A fully connected layer z = x W^T + b, a = g(z), whose W: [units, inputs] (row-major) and b: [units]
/// live in the network's flat parameter buffer at <see cref="WeightOffset"/> and <see cref="BiasOffset"/>.
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int inputs, int units, Activation activation, int weightOffset)
    {
        Inputs = inputs;
        Units = units;
        Activation = activation;
        WeightOffset = weightOffset;
    }

    /// <summary>Number of inputs (the previous layer's units, or the network's features).</summary>
    public int Inputs { get; }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The activation g applied to z.</summary>
    public Activation Activation { get; }

    /// <summary>Where W starts in the flat parameter buffer.</summary>
    public int WeightOffset { get; }

    /// <summary>Number of weights, units x inputs.</summary>
    public int WeightCount => Units * Inputs;

    /// <summary>Where b starts in the flat parameter buffer, right after W.</summary>
    public int BiasOffset => WeightOffset + WeightCount;

    /// <summary>Weights plus biases.</summary>
    public int ParameterCount => WeightCount + Units;

    // a: [n, units] = g(z), z: [n, units] = x: [n, inputs] . W^T + b.  z and a share storage only
    // for the identity.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Forward<T>(Memory<T> a, Memory<T> z, ReadOnlyMemory<T> x, T[] parameters, int n, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = n * Units;
        Gemm.Forward(z[..count], x, parameters.AsMemory(WeightOffset, WeightCount), parameters.AsMemory(BiasOffset, Units), n, Inputs, Units, threads,
            activation: Activation, a: a[..count]);
    }

    // On entry delta holds dL/da, or already dL/dz when deltaIsDz (the layer above applied g' as it
    // wrote it); on exit dL/dz. Writes dL/dW = delta^T x and dL/db = column sums of delta into
    // gradients, and dx = delta W unless dx is empty (the first layer has no one to pass it to).
    // reluGate: the activations of the relu layer below, whose derivative is then applied to dx
    // as it is stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Backward<T>(Memory<T> dx, Memory<T> delta, ReadOnlyMemory<T> x, ReadOnlyMemory<T> z, ReadOnlyMemory<T> a, T[] parameters, T[] gradients, int n, int threads,
        bool deltaIsDz = false, ReadOnlyMemory<T> reluGate = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = n * Units;
        if (!deltaIsDz)
            ActivationBackward(delta[..count], z[..count], a[..count], threads);
        Gemm.WeightGradient(gradients.AsMemory(WeightOffset, WeightCount), gradients.AsMemory(BiasOffset, Units), delta, x, n, Inputs, Units, threads);
        if (!dx.IsEmpty)
            Gemm.InputGradient(dx, delta, parameters.AsMemory(WeightOffset, WeightCount), n, Inputs, Units, threads, reluGate: reluGate);
    }

    // delta .*= g'(z), in two halves side by side when it is long and there are two threads.
    private unsafe void ActivationBackward<T>(Memory<T> delta, ReadOnlyMemory<T> z, ReadOnlyMemory<T> a, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (threads < 2 || delta.Length < Halves.MinWork)
        {
            ActivationFunctions.Backward(Activation, delta.Span, z.Span, a.Span);
            return;
        }
        var job = new ActivationJob<T> { Activation = Activation, Delta = delta, Z = z, A = a };
        Halves.For(delta.Length, delta.Length, threads, Unsafe.AsPointer(ref job), &ActivationBackwardRange<T>);
    }

    private struct ActivationJob<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Activation Activation;
        public Memory<T> Delta;
        public ReadOnlyMemory<T> Z, A;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ActivationBackwardRange<T>(void* state, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var job = ref Unsafe.AsRef<ActivationJob<T>>(state);
        int length = end - start;
        ActivationFunctions.Backward(job.Activation, job.Delta.Span.Slice(start, length), job.Z.Span.Slice(start, length), job.A.Span.Slice(start, length));
    }
}
