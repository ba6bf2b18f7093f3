using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// One row through a dense layer whose weights are stored turned, as inference lays them out once:
/// z: [dout] = x: [din] . wt: [din, dout] + b: [dout]. The lanes are units: each step broadcasts
/// one input and multiply-adds it into whole vectors of units, four vectors side by side so that
/// four chains cover the multiply-add's latency; units past the last whole vector go one at a time.
/// </summary>
/// <remarks>
/// Every z[j] is one fused multiply-add chain from b[j] over the inputs in order, the chain of
/// <see cref="Gemm.Forward"/>, so a row predicted alone has the bits it has in a batch.
/// <see cref="GemmReference.ForwardTurned"/> holds the plain loops this is tested against.
/// </remarks>
internal static class RowProduct
{
    /// <summary>z: [dout] = x: [din] . wt: [din, dout] + b: [dout].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> wt, ReadOnlySpan<T> b, int din, int dout, int vectorBits = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < din || wt.Length < din * dout || b.Length < dout || z.Length < dout)
            throw new ArgumentException($"Expected {din} inputs, {din} x {dout} weights, {dout} biases and room for {dout} outputs.");
        switch (vectorBits == 0 ? Gemm.NativeVectorBits : vectorBits)
        {
            case 512:
                Forward<T, Vector512<T>, Simd512<T>>(z, x, wt, b, din, dout);
                break;
            case 256:
                Forward<T, Vector256<T>, Simd256<T>>(z, x, wt, b, din, dout);
                break;
            case 128:
                Forward<T, Vector128<T>, Simd128<T>>(z, x, wt, b, din, dout);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(vectorBits), vectorBits, "vectorBits must be 0 (native), 128, 256 or 512.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T, TVector, TSimd>(Span<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> wt, ReadOnlySpan<T> b, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        ref T w = ref MemoryMarshal.GetReference(wt);
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T bias = ref MemoryMarshal.GetReference(b);
        ref T zs = ref MemoryMarshal.GetReference(z);
        int v = TSimd.Count, j = 0;
        nint stride = dout;
        for (; j <= dout - 4 * v; j += 4 * v)
        {
            ref T column = ref Unsafe.Add(ref w, j);
            TVector a0 = TSimd.Load(ref Unsafe.Add(ref bias, j)), a1 = TSimd.Load(ref Unsafe.Add(ref bias, j + v));
            TVector a2 = TSimd.Load(ref Unsafe.Add(ref bias, j + 2 * v)), a3 = TSimd.Load(ref Unsafe.Add(ref bias, j + 3 * v));
            for (int k = 0; k < din; k++)
            {
                TVector xk = TSimd.Broadcast(Unsafe.Add(ref xs, k));
                ref T row = ref Unsafe.Add(ref column, k * stride);
                a0 = TSimd.MultiplyAdd(xk, TSimd.Load(ref row), a0);
                a1 = TSimd.MultiplyAdd(xk, TSimd.Load(ref Unsafe.Add(ref row, v)), a1);
                a2 = TSimd.MultiplyAdd(xk, TSimd.Load(ref Unsafe.Add(ref row, 2 * v)), a2);
                a3 = TSimd.MultiplyAdd(xk, TSimd.Load(ref Unsafe.Add(ref row, 3 * v)), a3);
            }
            TSimd.Store(ref Unsafe.Add(ref zs, j), a0);
            TSimd.Store(ref Unsafe.Add(ref zs, j + v), a1);
            TSimd.Store(ref Unsafe.Add(ref zs, j + 2 * v), a2);
            TSimd.Store(ref Unsafe.Add(ref zs, j + 3 * v), a3);
        }
        for (; j <= dout - v; j += v)
        {
            ref T column = ref Unsafe.Add(ref w, j);
            TVector acc = TSimd.Load(ref Unsafe.Add(ref bias, j));
            for (int k = 0; k < din; k++)
                acc = TSimd.MultiplyAdd(TSimd.Broadcast(Unsafe.Add(ref xs, k)), TSimd.Load(ref Unsafe.Add(ref column, k * stride)), acc);
            TSimd.Store(ref Unsafe.Add(ref zs, j), acc);
        }
        for (; j < dout; j++)
        {
            ref T column = ref Unsafe.Add(ref w, j);
            T acc = Unsafe.Add(ref bias, j);
            for (int k = 0; k < din; k++)
                acc = T.FusedMultiplyAdd(Unsafe.Add(ref xs, k), Unsafe.Add(ref column, k * stride), acc);
            Unsafe.Add(ref zs, j) = acc;
        }
    }
}
