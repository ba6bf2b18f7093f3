using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Activations;

namespace Backprop.Kernels;

// Products with a single column of C (a one-output layer's forward pass): a matrix times a vector.
// The panel kernels would give each row a whole vector of which one lane counts, so here the lanes
// are rows instead: blocks of 8 rows by 8 steps of A are transposed in registers, and each step then
// feeds one fused multiply-add to 8 rows at once. Each row is still one chain over s in order, from
// the same start, so the bits are those of the panel kernels.
internal static partial class Gemm
{
    // Rows handled side by side: four chains of 8 rows hide the multiply-add's latency behind the
    // transposes of the other three.
    private const int VectorRowGroups = 4;

    // Whether a product goes to the matrix-vector kernel: floats, one column, rows of A contiguous
    // along s, nothing applied on the way out, and vectors of 256 bits or more asked for.
    private static bool IsMatrixVector<T>(in Product<T> product, int vectorBytes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && Avx.IsSupported && Fma.IsSupported && vectorBytes >= 32
        && product.Cols == 1 && product.AStep == 1 && product.Epilogue == Activation.Identity && product.Gate.IsEmpty;

    private static unsafe void RunMatrixVector<T>(Product<T> product, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The product itself is the job: each half reads it through the pointer.
        Halves.For(product.Rows, (long)product.Rows * product.Steps, threads, Unsafe.AsPointer(ref product), &MatrixVectorRange<T>);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MatrixVectorRange<T>(void* state, int r0, int r1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var product = ref Unsafe.AsRef<Product<T>>(state);
        var a = MemoryMarshal.Cast<T, float>(product.A.Span);
        var q = MemoryMarshal.Cast<T, float>(product.Q.Span);
        var c = MemoryMarshal.Cast<T, float>(product.C.Span);
        int steps = product.Steps, cStride = product.CStride;
        nint aRow = product.ARow, qStep = product.QStep;
        // Every read and write below lies inside a, q and c: checked once here instead of per element.
        _ = a[(r1 - 1) * product.ARow + steps - 1];
        _ = q[(steps - 1) * product.QStep];
        _ = c[(r1 - 1) * cStride];
        float bias = product.Start == Start.Bias ? MemoryMarshal.Cast<T, float>(product.Bias.Span)[0] : 0f;
        Span<float> sums = stackalloc float[8 * VectorRowGroups];
        int r = r0;
        while (r < r1)
        {
            int groups = Math.Min(VectorRowGroups, (r1 - r) / 8);
            int rows = groups == 0 ? r1 - r : 8 * groups;
            for (int i = 0; i < rows; i++)
                sums[i] = product.Start == Start.Existing ? c[(r + i) * cStride] : bias;
            int s = 0;
            if (groups > 0)
                s = RowGroupSteps(ref Unsafe.AsRef(in a[r * product.ARow]), aRow, ref Unsafe.AsRef(in q[0]), qStep, steps, groups, sums);
            // The last steps, fewer than a block's, one row at a time.
            for (int i = 0; i < rows; i++)
            {
                float sum = sums[i];
                for (int t = s; t < steps; t++)
                    sum = MathF.FusedMultiplyAdd(a[(r + i) * product.ARow + t], q[t * product.QStep], sum);
                c[(r + i) * cStride] = sum;
            }
            r += rows;
        }
    }

    // Runs the chains of 8 * groups rows (from sums, back into sums) over whole blocks of 8 steps;
    // returns the steps done.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowGroupSteps(ref float a, nint aRow, ref float q, nint qStep, int steps, int groups, Span<float> sums)
    {
        var acc0 = Vector256.Create(sums[..8]);
        var acc1 = groups > 1 ? Vector256.Create(sums[8..16]) : default;
        var acc2 = groups > 2 ? Vector256.Create(sums[16..24]) : default;
        var acc3 = groups > 3 ? Vector256.Create(sums[24..32]) : default;
        ref float a1 = ref Unsafe.Add(ref a, 8 * aRow);
        ref float a2 = ref Unsafe.Add(ref a, 16 * aRow);
        ref float a3 = ref Unsafe.Add(ref a, 24 * aRow);
        int s = 0;
        for (; s <= steps - 8; s += 8)
        {
            ref float qs = ref Unsafe.Add(ref q, s * qStep);
            acc0 = EightSteps(ref Unsafe.Add(ref a, s), aRow, ref qs, qStep, acc0);
            if (groups > 1)
                acc1 = EightSteps(ref Unsafe.Add(ref a1, s), aRow, ref qs, qStep, acc1);
            if (groups > 2)
                acc2 = EightSteps(ref Unsafe.Add(ref a2, s), aRow, ref qs, qStep, acc2);
            if (groups > 3)
                acc3 = EightSteps(ref Unsafe.Add(ref a3, s), aRow, ref qs, qStep, acc3);
        }
        acc0.CopyTo(sums);
        if (groups > 1)
            acc1.CopyTo(sums[8..]);
        if (groups > 2)
            acc2.CopyTo(sums[16..]);
        if (groups > 3)
            acc3.CopyTo(sums[24..]);
        return s;
    }

    // acc[i] = fma(A(i, 7), q[7], ... fma(A(i, 0), q[0], acc[i])) for 8 rows of A aRow apart: the
    // 8 x 8 block is turned in registers, so that each step is one vector of 8 rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EightSteps(ref float a, nint aRow, ref float q, nint qStep, Vector256<float> acc)
    {
        LoadTurned8x8(ref a, aRow, out var s0, out var s1, out var s2, out var s3, out var s4, out var s5, out var s6, out var s7);
        acc = Fma.MultiplyAdd(s0, Vector256.Create(q), acc);
        acc = Fma.MultiplyAdd(s1, Vector256.Create(Unsafe.Add(ref q, qStep)), acc);
        acc = Fma.MultiplyAdd(s2, Vector256.Create(Unsafe.Add(ref q, 2 * qStep)), acc);
        acc = Fma.MultiplyAdd(s3, Vector256.Create(Unsafe.Add(ref q, 3 * qStep)), acc);
        acc = Fma.MultiplyAdd(s4, Vector256.Create(Unsafe.Add(ref q, 4 * qStep)), acc);
        acc = Fma.MultiplyAdd(s5, Vector256.Create(Unsafe.Add(ref q, 5 * qStep)), acc);
        acc = Fma.MultiplyAdd(s6, Vector256.Create(Unsafe.Add(ref q, 6 * qStep)), acc);
        return Fma.MultiplyAdd(s7, Vector256.Create(Unsafe.Add(ref q, 7 * qStep)), acc);
    }
}
