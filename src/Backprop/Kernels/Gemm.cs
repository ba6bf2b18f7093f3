namespace Backprop.Kernels;

/// <summary>
/// The three products a dense layer needs, on row-major spans, never materialising a transpose.
/// Shape letters: n rows of the batch, din inputs, dout outputs; w is [dout, din] as in DESIGN.md.
/// </summary>
/// <remarks>
/// Work is split only along dimensions whose elements are computed independently, and every
/// element's sum runs in the same order whatever the split, so any thread count gives the same bits.
/// <see cref="GemmReference"/> holds the plain loops these are tested against.
/// </remarks>
internal static class Gemm
{
    // Below this many multiply-adds a second thread costs more than it gives.
    private const long ParallelThreshold = 1 << 18;

    // z: [n, dout] = x: [n, din] . w: [dout, din]^T + b: [dout]
    public static void Forward<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> b, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && n > 1)
            ForwardParallel(z, x, w, b, n, din, dout, threads);
        else
            ForwardRows(z.Span, x.Span, w.Span, b.Span, 0, n, din, dout);
    }

    // Kept apart so the closure's allocation happens only on the threaded path.
    private static void ForwardParallel<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> b, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            ForwardRows(z.Span, x.Span, w.Span, b.Span, i, i + 1, din, dout));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows<T>(Span<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, int start, int end, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = start; i < end; i++)
        {
            var xi = x.Slice(i * din, din);
            var zi = z.Slice(i * dout, dout);
            for (int j = 0; j < dout; j++)
                zi[j] = b[j] + VectorOps.Dot(xi, w.Slice(j * din, din));
        }
    }

    // dw: [dout, din] += d: [n, dout]^T . a: [n, din];  db: [dout] += column sums of d
    public static void AccumulateWeightGradient<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && dout > 1)
            WeightGradientParallel(dw, db, d, a, n, din, dout, threads);
        else
            WeightGradientRows(dw.Span, db.Span, d.Span, a.Span, 0, dout, n, din, dout);
    }

    private static void WeightGradientParallel<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallel.For(0, dout, new ParallelOptions { MaxDegreeOfParallelism = threads }, j =>
            WeightGradientRows(dw.Span, db.Span, d.Span, a.Span, j, j + 1, n, din, dout));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientRows<T>(Span<T> dw, Span<T> db, ReadOnlySpan<T> d, ReadOnlySpan<T> a, int start, int end, int n, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = start; j < end; j++)
        {
            var dwj = dw.Slice(j * din, din);
            T bias = T.Zero;
            for (int i = 0; i < n; i++)
            {
                T dij = d[i * dout + j];
                bias += dij;
                VectorOps.Axpy(dwj, dij, a.Slice(i * din, din));
            }
            db[j] += bias;
        }
    }

    // da: [n, din] = d: [n, dout] . w: [dout, din]
    public static void InputGradient<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (UseThreads(threads, (long)n * din * dout) && n > 1)
            InputGradientParallel(da, d, w, n, din, dout, threads);
        else
            InputGradientRows(da.Span, d.Span, w.Span, 0, n, din, dout);
    }

    private static void InputGradientParallel<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            InputGradientRows(da.Span, d.Span, w.Span, i, i + 1, din, dout));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientRows<T>(Span<T> da, ReadOnlySpan<T> d, ReadOnlySpan<T> w, int start, int end, int din, int dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = start; i < end; i++)
        {
            var dai = da.Slice(i * din, din);
            dai.Clear();
            for (int j = 0; j < dout; j++)
                VectorOps.Axpy(dai, d[i * dout + j], w.Slice(j * din, din));
        }
    }

    private static bool UseThreads(int threads, long work) => threads > 1 && work >= ParallelThreshold;
}
