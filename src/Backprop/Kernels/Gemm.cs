namespace Backprop.Kernels;

/// <summary>
/// The three products a dense layer needs, on row-major spans, never materialising a transpose.
/// Shape letters: n rows of the batch, din inputs, dout outputs; w is [dout, din] as in DESIGN.md.
/// </summary>
/// <remarks>
/// Each product is register-blocked: a 4 x 4 tile of dot products (forward), or a 4-row by
/// 4-vector tile of fused multiply-adds (the two gradients), so every load feeds several FMAs.
/// Every output element is summed in the same order with the same FMAs whether it falls inside a
/// full tile or on an edge, so the tiling (and with it the split between threads) never changes
/// a bit. <see cref="GemmReference"/> holds the plain loops these are tested against.
/// </remarks>
internal static class Gemm
{
    // Below this many multiply-adds a second thread costs more than it gives.
    private const long ParallelThreshold = 1 << 20;
    private const int Tile = 4;

    // z: [n, dout] = x: [n, din] . w: [dout, din]^T + b: [dout]
    public static void Forward<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> b, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && n >= 2 * Tile)
            ForwardParallel(z, x, w, b, n, din, dout, threads);
        else
            ForwardRows(z.Span, x.Span, w.Span, b.Span, 0, n, din, dout);
    }

    // Kept apart so the closure's allocation happens only on the threaded path.
    private static void ForwardParallel<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> b, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = (n / 2 + Tile - 1) / Tile * Tile;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            ForwardRows(z.Span, x.Span, w.Span, b.Span, part == 0 ? 0 : half, part == 0 ? half : n, din, dout));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows<T>(Span<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, int start, int end, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A panel of w rows stays in cache while every row of x passes over it.
        const int Panel = 64;
        Span<T> sums = stackalloc T[Tile * Tile];
        for (int j0 = 0; j0 < dout; j0 += Panel)
        {
            int j1 = Math.Min(dout, j0 + Panel);
            for (int i = start; i < end; i += Tile)
            {
                int rows = Math.Min(Tile, end - i);
                for (int j = j0; j < j1; j += Tile)
                {
                    int cols = Math.Min(Tile, j1 - j);
                    if (rows == Tile && cols == Tile)
                    {
                        DotTile(sums, x.Slice(i * din, Tile * din), w.Slice(j * din, Tile * din), din);
                        for (int r = 0; r < Tile; r++)
                        {
                            for (int c = 0; c < Tile; c++)
                                z[(i + r) * dout + j + c] = b[j + c] + sums[r * Tile + c];
                        }
                    }
                    else
                    {
                        for (int r = 0; r < rows; r++)
                        {
                            for (int c = 0; c < cols; c++)
                                z[(i + r) * dout + j + c] = b[j + c] + Dot(x.Slice((i + r) * din, din), w.Slice((j + c) * din, din));
                        }
                    }
                }
            }
        }
    }

    // sums[r * 4 + c] = a_r . b_c for four rows of a and four of b, each of length len.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTile<T>(Span<T> sums, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int len)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int k = 0;
        if (Vector.IsHardwareAccelerated && len >= width)
        {
            Vector<T> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector<T> s10 = default, s11 = default, s12 = default, s13 = default;
            Vector<T> s20 = default, s21 = default, s22 = default, s23 = default;
            Vector<T> s30 = default, s31 = default, s32 = default, s33 = default;
            for (; k <= len - width; k += width)
            {
                var a0 = new Vector<T>(a[k..]);
                var a1 = new Vector<T>(a[(len + k)..]);
                var a2 = new Vector<T>(a[(2 * len + k)..]);
                var a3 = new Vector<T>(a[(3 * len + k)..]);
                var b0 = new Vector<T>(b[k..]);
                s00 = Fma.Of(a0, b0, s00); s10 = Fma.Of(a1, b0, s10); s20 = Fma.Of(a2, b0, s20); s30 = Fma.Of(a3, b0, s30);
                var b1 = new Vector<T>(b[(len + k)..]);
                s01 = Fma.Of(a0, b1, s01); s11 = Fma.Of(a1, b1, s11); s21 = Fma.Of(a2, b1, s21); s31 = Fma.Of(a3, b1, s31);
                var b2 = new Vector<T>(b[(2 * len + k)..]);
                s02 = Fma.Of(a0, b2, s02); s12 = Fma.Of(a1, b2, s12); s22 = Fma.Of(a2, b2, s22); s32 = Fma.Of(a3, b2, s32);
                var b3 = new Vector<T>(b[(3 * len + k)..]);
                s03 = Fma.Of(a0, b3, s03); s13 = Fma.Of(a1, b3, s13); s23 = Fma.Of(a2, b3, s23); s33 = Fma.Of(a3, b3, s33);
            }
            sums[0] = Vector.Sum(s00); sums[1] = Vector.Sum(s01); sums[2] = Vector.Sum(s02); sums[3] = Vector.Sum(s03);
            sums[4] = Vector.Sum(s10); sums[5] = Vector.Sum(s11); sums[6] = Vector.Sum(s12); sums[7] = Vector.Sum(s13);
            sums[8] = Vector.Sum(s20); sums[9] = Vector.Sum(s21); sums[10] = Vector.Sum(s22); sums[11] = Vector.Sum(s23);
            sums[12] = Vector.Sum(s30); sums[13] = Vector.Sum(s31); sums[14] = Vector.Sum(s32); sums[15] = Vector.Sum(s33);
        }
        else
        {
            sums.Clear();
        }
        for (; k < len; k++)
        {
            for (int r = 0; r < Tile; r++)
            {
                for (int c = 0; c < Tile; c++)
                    sums[r * Tile + c] = Fma.Of(a[r * len + k], b[c * len + k], sums[r * Tile + c]);
            }
        }
    }

    // a . b with exactly the arithmetic of one DotTile lane: one vector accumulator, its lane sum,
    // then the scalar tail. The one-row path uses it too, so a row's prediction does not depend
    // on the batch it comes in.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count, k = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && a.Length >= width)
        {
            Vector<T> acc = default;
            for (; k <= a.Length - width; k += width)
                acc = Fma.Of(new Vector<T>(a[k..]), new Vector<T>(b[k..]), acc);
            sum = Vector.Sum(acc);
        }
        for (; k < a.Length; k++)
            sum = Fma.Of(a[k], b[k], sum);
        return sum;
    }

    // dw: [dout, din] += d: [n, dout]^T . a: [n, din];  db: [dout] += column sums of d
    public static void AccumulateWeightGradient<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && dout >= 2 * Tile)
            WeightGradientParallel(dw, db, d, a, n, din, dout, threads);
        else
            WeightGradientRows(dw.Span, db.Span, d.Span, a.Span, 0, dout, n, din, dout);
    }

    private static void WeightGradientParallel<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = (dout / 2 + Tile - 1) / Tile * Tile;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            WeightGradientRows(dw.Span, db.Span, d.Span, a.Span, part == 0 ? 0 : half, part == 0 ? half : dout, n, din, dout));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientRows<T>(Span<T> dw, Span<T> db, ReadOnlySpan<T> d, ReadOnlySpan<T> a, int start, int end, int n, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = start; j < end; j++)
        {
            T bias = T.Zero;
            for (int i = 0; i < n; i++)
                bias += d[i * dout + j];
            db[j] += bias;
        }
        // dw[j, k] += sum_i d[i, j] a[i, k]: rows j of the output, coefficients d[i, j], rows i of a.
        Combine(dw, din, d, coefRow: 1, coefStep: dout, a, din, n, start, end, din);
    }

    // da: [n, din] = d: [n, dout] . w: [dout, din]
    public static void InputGradient<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && n >= 2 * Tile)
            InputGradientParallel(da, d, w, n, din, dout, threads);
        else
            InputGradientRows(da.Span, d.Span, w.Span, 0, n, din, dout);
    }

    private static void InputGradientParallel<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = (n / 2 + Tile - 1) / Tile * Tile;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            InputGradientRows(da.Span, d.Span, w.Span, part == 0 ? 0 : half, part == 0 ? half : n, din, dout));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientRows<T>(Span<T> da, ReadOnlySpan<T> d, ReadOnlySpan<T> w, int start, int end, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        da.Slice(start * din, (end - start) * din).Clear();
        // da[i, k] += sum_j d[i, j] w[j, k]: rows i of the output, coefficients d[i, j], rows j of w.
        Combine(da, din, d, coefRow: dout, coefStep: 1, w, din, dout, start, end, din);
    }

    // c[r, k] += sum_s coef[r * coefRow + s * coefStep] * q[s * qStride + k], for r in [r0, r1) and
    // k in [0, width), s in order 0..steps-1. Tiles of 4 rows by 4 vectors keep 16 accumulators in
    // registers; edges use the same per-element arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine<T>(Span<T> c, int cStride, ReadOnlySpan<T> coef, int coefRow, int coefStep, ReadOnlySpan<T> q, int qStride, int steps, int r0, int r1, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool vectors = Vector.IsHardwareAccelerated;
        int v = Vector<T>.Count;
        int chunk = Tile * v;
        for (int r = r0; r < r1; r += Tile)
        {
            int rows = Math.Min(Tile, r1 - r);
            int k = 0;
            if (rows == Tile && vectors)
            {
                for (; k + chunk <= width; k += chunk)
                    CombineTile(c, cStride, coef, coefRow, coefStep, q, qStride, steps, r, k);
            }
            for (int rr = r; rr < r + rows; rr++)
            {
                var row = c.Slice(rr * cStride, width);
                int kk = k;
                for (; vectors && kk + v <= width; kk += v)
                {
                    Vector<T> acc = default;
                    for (int s = 0; s < steps; s++)
                        acc = Fma.Of(new Vector<T>(coef[rr * coefRow + s * coefStep]), new Vector<T>(q[(s * qStride + kk)..]), acc);
                    (new Vector<T>(row[kk..]) + acc).CopyTo(row[kk..]);
                }
                for (; kk < width; kk++)
                {
                    T acc = T.Zero;
                    for (int s = 0; s < steps; s++)
                        acc = Fma.Of(coef[rr * coefRow + s * coefStep], q[s * qStride + kk], acc);
                    row[kk] += acc;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineTile<T>(Span<T> c, int cStride, ReadOnlySpan<T> coef, int coefRow, int coefStep, ReadOnlySpan<T> q, int qStride, int steps, int r, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        Vector<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector<T> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector<T> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector<T> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int s = 0; s < steps; s++)
        {
            var qs = q[(s * qStride + k)..];
            var q0 = new Vector<T>(qs);
            var q1 = new Vector<T>(qs[v..]);
            var q2 = new Vector<T>(qs[(2 * v)..]);
            var q3 = new Vector<T>(qs[(3 * v)..]);
            int o = r * coefRow + s * coefStep;
            var c0 = new Vector<T>(coef[o]);
            a00 = Fma.Of(c0, q0, a00); a01 = Fma.Of(c0, q1, a01); a02 = Fma.Of(c0, q2, a02); a03 = Fma.Of(c0, q3, a03);
            var c1 = new Vector<T>(coef[o + coefRow]);
            a10 = Fma.Of(c1, q0, a10); a11 = Fma.Of(c1, q1, a11); a12 = Fma.Of(c1, q2, a12); a13 = Fma.Of(c1, q3, a13);
            var c2 = new Vector<T>(coef[o + 2 * coefRow]);
            a20 = Fma.Of(c2, q0, a20); a21 = Fma.Of(c2, q1, a21); a22 = Fma.Of(c2, q2, a22); a23 = Fma.Of(c2, q3, a23);
            var c3 = new Vector<T>(coef[o + 3 * coefRow]);
            a30 = Fma.Of(c3, q0, a30); a31 = Fma.Of(c3, q1, a31); a32 = Fma.Of(c3, q2, a32); a33 = Fma.Of(c3, q3, a33);
        }
        AddRow(c.Slice(r * cStride + k), v, a00, a01, a02, a03);
        AddRow(c.Slice((r + 1) * cStride + k), v, a10, a11, a12, a13);
        AddRow(c.Slice((r + 2) * cStride + k), v, a20, a21, a22, a23);
        AddRow(c.Slice((r + 3) * cStride + k), v, a30, a31, a32, a33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<T>(Span<T> row, int v, Vector<T> x0, Vector<T> x1, Vector<T> x2, Vector<T> x3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (new Vector<T>(row) + x0).CopyTo(row);
        (new Vector<T>(row[v..]) + x1).CopyTo(row[v..]);
        (new Vector<T>(row[(2 * v)..]) + x2).CopyTo(row[(2 * v)..]);
        (new Vector<T>(row[(3 * v)..]) + x3).CopyTo(row[(3 * v)..]);
    }

    private static bool UseThreads(int threads, long work) => threads > 1 && work >= ParallelThreshold;
}
