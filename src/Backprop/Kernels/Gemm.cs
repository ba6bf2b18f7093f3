using System.Runtime.Intrinsics;
using Backprop.Activations;

namespace Backprop.Kernels;

/// <summary>
/// The three products a dense layer needs, on row-major spans, never materialising a transpose.
/// Shape letters: n rows of the batch, din inputs, dout outputs; w is [dout, din] as in DESIGN.md.
/// </summary>
/// <remarks>
/// All three are one product C[r, col] (+)= sum_s A(r, s) Q(s, col) with strided views of A and Q.
/// Q is read in panels a few vectors wide (packed into contiguous memory unless its rows are close
/// together), and a register-blocked micro-kernel broadcasts A and multiply-adds whole vectors of Q
/// into a tile of C held in registers.
/// Every element of C is one fused multiply-add chain over s in increasing order, started from its
/// initial value (zero, the bias, or what C held), whatever the vector width, the tile it falls in
/// or the thread that computes it: results are bit-identical for any width and any number of
/// threads. <see cref="GemmReference"/> holds the plain loops these are tested against.
/// </remarks>
internal static class Gemm
{
    // Below this many multiply-adds a second thread costs more than it gives.
    private const long ParallelThreshold = 1 << 20;

    // Rows of C per micro-tile. A tile is 1, 2 or 4 vectors wide: 6 x 4 accumulators fill most of
    // AVX-512's 32 registers, 6 x 2 most of AVX2's 16.
    private const int TileRows = 6;

    // Steps of s per pass over C: a packed Q panel of this depth stays in the first-level cache.
    private const int Depth = 128;

    // Rows of C per block: a block of C this tall stays in the second-level cache across the passes.
    private const int BlockRows = 32 * TileRows;

    private enum Start
    {
        Zero,
        Bias,
        Existing,
    }

    /// <summary>
    /// z: [n, dout] = x: [n, din] . w: [dout, din]^T + b: [dout], and a = g(z) when an activation and
    /// a are given: applied to each block of z as soon as it is final, while it is still in cache,
    /// by the thread that computed it.
    /// </summary>
    public static void Forward<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> b, int n, int din, int dout, int threads, int vectorBits = 0,
        Activation activation = Activation.Identity, Memory<T> a = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var product = new Product<T>(z, dout, n, dout, Start.Bias, b, x, din, 1, w, 1, din, din, activation, a);
        Run(product, threads, vectorBits);
    }

    /// <summary>dw: [dout, din] = d: [n, dout]^T . a: [n, din];  db: [dout] = column sums of d.</summary>
    /// <remarks>Written, not accumulated: a pass computes each layer's gradient once, so nothing needs clearing first.</remarks>
    public static void WeightGradient<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads, int vectorBits = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ColumnSums(db[..dout], d, n, dout, threads);
        var product = new Product<T>(dw, din, dout, din, Start.Zero, default, d, 1, dout, a, din, 1, n);
        Run(product, threads, vectorBits);
    }

    // sums[j] = sum_i d[i, j], rows in order for every column: columns may be split between threads.
    private static unsafe void ColumnSums<T>(Memory<T> sums, ReadOnlyMemory<T> d, int n, int columns, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new ColumnSumsJob<T> { Sums = sums, D = d, Rows = n };
        Halves.For(columns, (long)n * columns, threads, Unsafe.AsPointer(ref job), &ColumnSumsRange<T>);
    }

    private struct ColumnSumsJob<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Memory<T> Sums;
        public ReadOnlyMemory<T> D;
        public int Rows;
    }

    private static unsafe void ColumnSumsRange<T>(void* state, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var job = ref Unsafe.AsRef<ColumnSumsJob<T>>(state);
        var sums = job.Sums.Span[start..end];
        var d = job.D.Span;
        int columns = job.Sums.Length;
        sums.Clear();
        for (int i = 0; i < job.Rows; i++)
            VectorOps.Axpy(sums, T.One, d.Slice(i * columns + start, end - start)); // 1 x is exact: a plain sum
    }

    /// <summary>da: [n, din] = d: [n, dout] . w: [dout, din].</summary>
    public static void InputGradient<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads, int vectorBits = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var product = new Product<T>(da, din, n, din, Start.Zero, default, d, dout, 1, w, din, 1, dout);
        Run(product, threads, vectorBits);
    }

    /// <summary>The widest vectors this machine runs natively, in bits.</summary>
    public static int NativeVectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    // C: [rows, cols] with row stride cStride starts as Zero, Bias (bias[col]) or Existing, then gains
    // sum_s A(r, s) Q(s, col), where A(r, s) = a[r * aRow + s * aStep] and Q(s, col) = q[s * qStep + col * qColumn].
    private readonly record struct Product<T>(
        Memory<T> C, int CStride, int Rows, int Cols, Start Start, ReadOnlyMemory<T> Bias,
        ReadOnlyMemory<T> A, int ARow, int AStep, ReadOnlyMemory<T> Q, int QStep, int QColumn, int Steps,
        Activation Epilogue = Activation.Identity, Memory<T> Activated = default)
        where T : unmanaged, IFloatingPointIeee754<T>;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(in Product<T> product, int threads, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (vectorBits == 0 ? NativeVectorBits : vectorBits)
        {
            case 512:
                Run<T, Vector512<T>, Simd512<T>>(product, threads);
                break;
            case 256:
                Run<T, Vector256<T>, Simd256<T>>(product, threads);
                break;
            case 128:
                Run<T, Vector128<T>, Simd128<T>>(product, threads);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(vectorBits), vectorBits, "vectorBits must be 0 (native), 128, 256 or 512.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TVector, TSimd>(Product<T> product, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        if (product.Rows == 0 || product.Cols == 0)
            return;
        // Narrow products (a single output, a handful of inputs) use one-vector panels so that
        // padding does not multiply the work.
        int wideVectors = Unsafe.SizeOf<TVector>() >= 64 ? 4 : 2;
        int panelWidth = product.Cols <= TSimd.Count ? TSimd.Count : wideVectors * TSimd.Count;
        int panels = (product.Cols + panelWidth - 1) / panelWidth;
        var packedQ = Scratch<T>.Panels(panels * panelWidth * product.Steps);
        long work = (long)product.Rows * product.Cols * product.Steps;
        if (threads > 1 && work >= ParallelThreshold && (panels >= 2 || product.Rows >= 2 * TileRows))
        {
            RunParallel<T, TVector, TSimd>(product, packedQ, panelWidth, panels);
            return;
        }
        PackQ(packedQ, product, panelWidth, 0, panels);
        RunBlock<T, TVector, TSimd>(product, packedQ, panelWidth, 0, product.Rows, 0, panels);
    }

    // Split by panels, each half packing its own, unless A must be packed (the weight gradient's d^T),
    // which both halves would then pack in full: then the rows are split, after both halves have
    // packed half the panels each. The split depends on the shape alone, and each element's
    // arithmetic does not depend on it anyway.
    private static unsafe void RunParallel<T, TVector, TSimd>(Product<T> product, T[] packedQ, int panelWidth, int panels)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        var job = new SplitJob<T>
        {
            Product = product,
            PackedQ = packedQ,
            PanelWidth = panelWidth,
            Panels = panels,
            ByPanels = panels >= 2 && !PacksA(product) || product.Rows < 2 * TileRows,
        };
        if (!job.ByPanels)
        {
            // Both halves of the rows read every panel: pack them all, half each, first.
            job.PackOnly = true;
            PartnerThread.Run(&RunHalf<T, TVector, TSimd>, Unsafe.AsPointer(ref job));
            job.PackOnly = false;
        }
        PartnerThread.Run(&RunHalf<T, TVector, TSimd>, Unsafe.AsPointer(ref job));
    }

    private struct SplitJob<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool PackOnly;
        public Product<T> Product;
        public T[] PackedQ;
        public int PanelWidth;
        public int Panels;
        public bool ByPanels;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunHalf<T, TVector, TSimd>(void* state, int half)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        ref var job = ref Unsafe.AsRef<SplitJob<T>>(state);
        var product = job.Product;
        int middle = job.Panels / 2;
        int p0 = half == 0 ? 0 : middle, p1 = half == 0 ? middle : job.Panels;
        if (job.ByPanels || job.PackOnly)
            PackQ(job.PackedQ, product, job.PanelWidth, p0, p1);
        if (job.PackOnly)
            return;
        if (job.ByPanels)
        {
            RunBlock<T, TVector, TSimd>(product, job.PackedQ, job.PanelWidth, 0, product.Rows, p0, p1);
            return;
        }
        int rows = (product.Rows / 2 + TileRows - 1) / TileRows * TileRows;
        RunBlock<T, TVector, TSimd>(product, job.PackedQ, job.PanelWidth, half == 0 ? 0 : rows, half == 0 ? rows : product.Rows, 0, job.Panels);
    }

    // packed[(p * steps + s) * width + t] = Q(s, p * width + t) for panels p in [p0, p1), zero past the last column.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackQ<T>(Span<T> packed, in Product<T> product, int width, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Transposed reads go in blocks of this many steps, so that the rows of the panel being
        // written stay in cache while each column of Q is read a cache line at a time.
        const int Block = 16;
        var q = product.Q.Span;
        int steps = product.Steps, cols = product.Cols;
        bool direct = ReadsQInPlace(product);
        for (int p = p0; p < p1; p++)
        {
            int c0 = p * width;
            int count = Math.Min(width, cols - c0);
            if (direct && count == width)
                continue;
            var panel = packed.Slice(p * steps * width, steps * width);
            if (product.QColumn == 1)
            {
                for (int s = 0; s < steps; s++)
                {
                    var row = panel.Slice(s * width, width);
                    q.Slice(s * product.QStep + c0, count).CopyTo(row);
                    row[count..].Clear();
                }
                continue;
            }
            if (count < width)
                panel.Clear();
            // Every read below lies inside q: checked once here instead of per element.
            _ = q[(c0 + count - 1) * product.QColumn + (steps - 1) * product.QStep];
            nint qStep = product.QStep;
            for (int s0 = 0; s0 < steps; s0 += Block)
            {
                int length = Math.Min(steps - s0, Block);
                for (int t = 0; t < count; t++)
                {
                    ref T from = ref Unsafe.AsRef(in q[(c0 + t) * product.QColumn + s0 * product.QStep]);
                    ref T to = ref panel[s0 * width + t];
                    for (int s = 0; s < length; s++)
                        Unsafe.Add(ref to, s * width) = Unsafe.Add(ref from, s * qStep);
                }
            }
        }
    }

    // packed[(tile * depth + s) * TileRows + r] = A(r0 + tile * TileRows + r, s0 + s), zero past r1.
    // Only for an A strided along s (the weight gradient's d^T), whose direct reads would each touch
    // another cache line; rows of A contiguous along s are read in place.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<T>(Span<T> packed, in Product<T> product, int r0, int r1, int s0, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = product.A.Span;
        for (int r = r0, tile = 0; r < r1; r += TileRows, tile++)
        {
            var block = packed.Slice(tile * depth * TileRows, depth * TileRows);
            int height = Math.Min(TileRows, r1 - r);
            if (height < TileRows)
            {
                block.Clear();
                for (int s = 0; s < depth; s++)
                {
                    int from = r * product.ARow + (s0 + s) * product.AStep;
                    for (int i = 0; i < height; i++)
                        block[s * TileRows + i] = a[from + i * product.ARow];
                }
                continue;
            }
            // The whole-tile case is the hot one; its reads are checked once, up front.
            int last = (r + TileRows - 1) * product.ARow + (s0 + depth - 1) * product.AStep;
            _ = a[last];
            ref T source = ref Unsafe.AsRef(in a[r * product.ARow + s0 * product.AStep]);
            ref T target = ref block[0];
            nint row = product.ARow, step = product.AStep;
            for (int s = 0; s < depth; s++)
            {
                Unsafe.Add(ref target, 0) = source;
                Unsafe.Add(ref target, 1) = Unsafe.Add(ref source, row);
                Unsafe.Add(ref target, 2) = Unsafe.Add(ref source, 2 * row);
                Unsafe.Add(ref target, 3) = Unsafe.Add(ref source, 3 * row);
                Unsafe.Add(ref target, 4) = Unsafe.Add(ref source, 4 * row);
                Unsafe.Add(ref target, 5) = Unsafe.Add(ref source, 5 * row);
                source = ref Unsafe.Add(ref source, step);
                target = ref Unsafe.Add(ref target, TileRows);
            }
        }
    }

    // Q's rows are contiguous and so close together that a panel's rows spread over the cache sets:
    // reading them in place costs less than copying them.
    private static bool ReadsQInPlace<T>(in Product<T> product)
        where T : unmanaged, IFloatingPointIeee754<T> => product.QColumn == 1 && product.QStep * Unsafe.SizeOf<T>() < 1024;

    // A strided along s is packed only when its stride is long enough for every read to land on a
    // new cache line, and for those lines to fight over the same cache sets.
    private static bool PacksA<T>(in Product<T> product)
        where T : unmanaged, IFloatingPointIeee754<T> => product.AStep * Unsafe.SizeOf<T>() >= 2048;

    // C's rows [r0, r1) and panels [p0, p1), Depth steps at a time: in each pass a panel slice of Q
    // stays in the first-level cache while every micro-tile of rows goes over it.
    private static void RunBlock<T, TVector, TSimd>(Product<T> product, T[] packedQ, int panelWidth, int r0, int r1, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        for (int r = r0; r < r1; r += BlockRows)
            RunTiles<T, TVector, TSimd>(product, packedQ, panelWidth, r, Math.Min(r1, r + BlockRows), p0, p1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTiles<T, TVector, TSimd>(Product<T> product, T[] packedQ, int panelWidth, int r0, int r1, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        var c = product.C.Span;
        var a = product.A.Span;
        int cStride = product.CStride, cols = product.Cols, steps = product.Steps;
        bool packA = PacksA(product);
        var packedA = packA ? Scratch<T>.Tiles((r1 - r0 + TileRows - 1) / TileRows * TileRows * Math.Min(Depth, steps)) : [];
        Span<T> edgeC = stackalloc T[TileRows * 4 * Vector512<T>.Count];
        Span<T> edgeA = stackalloc T[TileRows * Depth];
        int vectors = panelWidth / TSimd.Count;
        var bias = product.Bias.Span;
        bool direct = ReadsQInPlace(product);
        var qSource = product.Q.Span;
        if (direct)
            _ = qSource[(steps - 1) * product.QStep + cols - 1]; // the micro-kernel's in-place reads stay inside Q
        for (int s0 = 0; s0 < steps; s0 += Depth)
        {
            int depth = Math.Min(Depth, steps - s0);
            if (packA)
                PackA(packedA, product, r0, r1, s0, depth);
            for (int p = p0; p < p1; p++)
            {
                int c0 = p * panelWidth;
                int width = Math.Min(panelWidth, cols - c0);
                // Whole panels of a Q whose rows are close together are read in place; the rest packed.
                bool inPlace = direct && width == panelWidth;
                ref T q = ref inPlace ? ref Unsafe.AsRef(in qSource[s0 * product.QStep + c0]) : ref packedQ[(p * steps + s0) * panelWidth];
                nint qStride = inPlace ? product.QStep : panelWidth;
                // The first pass starts every sum from zero or the bias, later ones from C.
                var start = s0 > 0 ? Start.Existing : product.Start;
                for (int r = r0, tile = 0; r < r1; r += TileRows, tile++)
                {
                    int height = Math.Min(TileRows, r1 - r);
                    // A micro-tile reads its rows of A in place, or from the packed copy.
                    scoped ref T first = ref packA ? ref packedA[tile * depth * TileRows] : ref Unsafe.AsRef(in a[r * product.ARow + s0 * product.AStep]);
                    nint aRow = packA ? 1 : product.ARow, aStep = packA ? TileRows : product.AStep;
                    if (height < TileRows && !packA)
                    {
                        // Rows past the end must not be read: copy the ones there are, padded with zeros.
                        var block = edgeA[..(TileRows * depth)];
                        block.Clear();
                        for (int i = 0; i < height; i++)
                        {
                            for (int s = 0; s < depth; s++)
                                block[s * TileRows + i] = a[(r + i) * product.ARow + (s0 + s) * product.AStep];
                        }
                        first = ref block[0];
                        aRow = 1;
                        aStep = TileRows;
                    }
                    if (height == TileRows && width == panelWidth)
                    {
                        ref T target = ref c[r * cStride + c0];
                        if (start == Start.Existing)
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref target, cStride, ref first, aRow, aStep, ref q, qStride, depth);
                        else if (start == Start.Bias)
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref Unsafe.AsRef(in bias[c0]), 0, ref first, aRow, aStep, ref q, qStride, depth);
                        else
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref Zeros<T>.Row[0], 0, ref first, aRow, aStep, ref q, qStride, depth);
                        continue;
                    }
                    // Edges run the same micro-kernel on a zero-padded copy of the block of C they cover.
                    var blockC = edgeC[..(TileRows * panelWidth)];
                    blockC.Clear();
                    for (int i = 0; i < height; i++)
                    {
                        var from = start == Start.Existing ? c.Slice((r + i) * cStride + c0, width)
                            : start == Start.Bias ? bias.Slice(c0, width) : [];
                        from.CopyTo(blockC.Slice(i * panelWidth, width));
                    }
                    MicroTile<T, TVector, TSimd>(vectors, ref blockC[0], panelWidth, ref blockC[0], panelWidth, ref first, aRow, aStep, ref q, qStride, depth);
                    for (int i = 0; i < height; i++)
                        blockC.Slice(i * panelWidth, width).CopyTo(c.Slice((r + i) * cStride + c0, width));
                }
                if (s0 + depth == steps && product.Epilogue != Activation.Identity)
                {
                    var activated = product.Activated.Span;
                    for (int r = r0; r < r1; r++)
                        ActivationFunctions.Forward(product.Epilogue, activated.Slice(r * cStride + c0, width), c.Slice(r * cStride + c0, width));
                }
            }
        }
    }

    // C[0..6, 0..width) = init[0..6, 0..width) + sum_s A(0..6, s) (x) q[s, 0..width), with A(r, s) =
    // a[r * aRow + s * aStep], q rows of 1, 2 or 4 vectors qStride apart: the accumulators stay in registers
    // and every load of q feeds 6 fused multiply-adds. init is C itself, the bias (row stride 0) or zeros.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroTile<T, TVector, TSimd>(int vectors, ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        if (vectors == 4)
            Tile6x4<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth);
        else if (vectors == 2)
            Tile6x2<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth);
        else
            Tile6x1<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        nint v = TSimd.Count;
        ref T i0 = ref Unsafe.Add(ref init, 0 * initStride);
        ref T i1 = ref Unsafe.Add(ref init, 1 * initStride);
        ref T i2 = ref Unsafe.Add(ref init, 2 * initStride);
        ref T i3 = ref Unsafe.Add(ref init, 3 * initStride);
        ref T i4 = ref Unsafe.Add(ref init, 4 * initStride);
        ref T i5 = ref Unsafe.Add(ref init, 5 * initStride);
        TVector x00 = TSimd.Load(ref Unsafe.Add(ref i0, 0 * v)), x01 = TSimd.Load(ref Unsafe.Add(ref i0, 1 * v)), x02 = TSimd.Load(ref Unsafe.Add(ref i0, 2 * v)), x03 = TSimd.Load(ref Unsafe.Add(ref i0, 3 * v));
        TVector x10 = TSimd.Load(ref Unsafe.Add(ref i1, 0 * v)), x11 = TSimd.Load(ref Unsafe.Add(ref i1, 1 * v)), x12 = TSimd.Load(ref Unsafe.Add(ref i1, 2 * v)), x13 = TSimd.Load(ref Unsafe.Add(ref i1, 3 * v));
        TVector x20 = TSimd.Load(ref Unsafe.Add(ref i2, 0 * v)), x21 = TSimd.Load(ref Unsafe.Add(ref i2, 1 * v)), x22 = TSimd.Load(ref Unsafe.Add(ref i2, 2 * v)), x23 = TSimd.Load(ref Unsafe.Add(ref i2, 3 * v));
        TVector x30 = TSimd.Load(ref Unsafe.Add(ref i3, 0 * v)), x31 = TSimd.Load(ref Unsafe.Add(ref i3, 1 * v)), x32 = TSimd.Load(ref Unsafe.Add(ref i3, 2 * v)), x33 = TSimd.Load(ref Unsafe.Add(ref i3, 3 * v));
        TVector x40 = TSimd.Load(ref Unsafe.Add(ref i4, 0 * v)), x41 = TSimd.Load(ref Unsafe.Add(ref i4, 1 * v)), x42 = TSimd.Load(ref Unsafe.Add(ref i4, 2 * v)), x43 = TSimd.Load(ref Unsafe.Add(ref i4, 3 * v));
        TVector x50 = TSimd.Load(ref Unsafe.Add(ref i5, 0 * v)), x51 = TSimd.Load(ref Unsafe.Add(ref i5, 1 * v)), x52 = TSimd.Load(ref Unsafe.Add(ref i5, 2 * v)), x53 = TSimd.Load(ref Unsafe.Add(ref i5, 3 * v));
        ref T ap = ref a;
        ref T qp = ref q;
        for (int s = 0; s < depth; s++)
        {
            TVector q0 = TSimd.Load(ref Unsafe.Add(ref qp, 0 * v)), q1 = TSimd.Load(ref Unsafe.Add(ref qp, 1 * v)), q2 = TSimd.Load(ref Unsafe.Add(ref qp, 2 * v)), q3 = TSimd.Load(ref Unsafe.Add(ref qp, 3 * v));
            TVector b0 = TSimd.Broadcast(Unsafe.Add(ref ap, 0 * aRow));
            x00 = TSimd.MultiplyAdd(b0, q0, x00); x01 = TSimd.MultiplyAdd(b0, q1, x01); x02 = TSimd.MultiplyAdd(b0, q2, x02); x03 = TSimd.MultiplyAdd(b0, q3, x03);
            TVector b1 = TSimd.Broadcast(Unsafe.Add(ref ap, 1 * aRow));
            x10 = TSimd.MultiplyAdd(b1, q0, x10); x11 = TSimd.MultiplyAdd(b1, q1, x11); x12 = TSimd.MultiplyAdd(b1, q2, x12); x13 = TSimd.MultiplyAdd(b1, q3, x13);
            TVector b2 = TSimd.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
            x20 = TSimd.MultiplyAdd(b2, q0, x20); x21 = TSimd.MultiplyAdd(b2, q1, x21); x22 = TSimd.MultiplyAdd(b2, q2, x22); x23 = TSimd.MultiplyAdd(b2, q3, x23);
            TVector b3 = TSimd.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x30 = TSimd.MultiplyAdd(b3, q0, x30); x31 = TSimd.MultiplyAdd(b3, q1, x31); x32 = TSimd.MultiplyAdd(b3, q2, x32); x33 = TSimd.MultiplyAdd(b3, q3, x33);
            TVector b4 = TSimd.Broadcast(Unsafe.Add(ref ap, 4 * aRow));
            x40 = TSimd.MultiplyAdd(b4, q0, x40); x41 = TSimd.MultiplyAdd(b4, q1, x41); x42 = TSimd.MultiplyAdd(b4, q2, x42); x43 = TSimd.MultiplyAdd(b4, q3, x43);
            TVector b5 = TSimd.Broadcast(Unsafe.Add(ref ap, 5 * aRow));
            x50 = TSimd.MultiplyAdd(b5, q0, x50); x51 = TSimd.MultiplyAdd(b5, q1, x51); x52 = TSimd.MultiplyAdd(b5, q2, x52); x53 = TSimd.MultiplyAdd(b5, q3, x53);
            ap = ref Unsafe.Add(ref ap, aStep);
            qp = ref Unsafe.Add(ref qp, qStride);
        }
        ref T c0 = ref Unsafe.Add(ref c, 0 * cStride);
        ref T c1 = ref Unsafe.Add(ref c, 1 * cStride);
        ref T c2 = ref Unsafe.Add(ref c, 2 * cStride);
        ref T c3 = ref Unsafe.Add(ref c, 3 * cStride);
        ref T c4 = ref Unsafe.Add(ref c, 4 * cStride);
        ref T c5 = ref Unsafe.Add(ref c, 5 * cStride);
        TSimd.Store(ref Unsafe.Add(ref c0, 0 * v), x00); TSimd.Store(ref Unsafe.Add(ref c0, 1 * v), x01); TSimd.Store(ref Unsafe.Add(ref c0, 2 * v), x02); TSimd.Store(ref Unsafe.Add(ref c0, 3 * v), x03);
        TSimd.Store(ref Unsafe.Add(ref c1, 0 * v), x10); TSimd.Store(ref Unsafe.Add(ref c1, 1 * v), x11); TSimd.Store(ref Unsafe.Add(ref c1, 2 * v), x12); TSimd.Store(ref Unsafe.Add(ref c1, 3 * v), x13);
        TSimd.Store(ref Unsafe.Add(ref c2, 0 * v), x20); TSimd.Store(ref Unsafe.Add(ref c2, 1 * v), x21); TSimd.Store(ref Unsafe.Add(ref c2, 2 * v), x22); TSimd.Store(ref Unsafe.Add(ref c2, 3 * v), x23);
        TSimd.Store(ref Unsafe.Add(ref c3, 0 * v), x30); TSimd.Store(ref Unsafe.Add(ref c3, 1 * v), x31); TSimd.Store(ref Unsafe.Add(ref c3, 2 * v), x32); TSimd.Store(ref Unsafe.Add(ref c3, 3 * v), x33);
        TSimd.Store(ref Unsafe.Add(ref c4, 0 * v), x40); TSimd.Store(ref Unsafe.Add(ref c4, 1 * v), x41); TSimd.Store(ref Unsafe.Add(ref c4, 2 * v), x42); TSimd.Store(ref Unsafe.Add(ref c4, 3 * v), x43);
        TSimd.Store(ref Unsafe.Add(ref c5, 0 * v), x50); TSimd.Store(ref Unsafe.Add(ref c5, 1 * v), x51); TSimd.Store(ref Unsafe.Add(ref c5, 2 * v), x52); TSimd.Store(ref Unsafe.Add(ref c5, 3 * v), x53);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        nint v = TSimd.Count;
        ref T i0 = ref Unsafe.Add(ref init, 0 * initStride);
        ref T i1 = ref Unsafe.Add(ref init, 1 * initStride);
        ref T i2 = ref Unsafe.Add(ref init, 2 * initStride);
        ref T i3 = ref Unsafe.Add(ref init, 3 * initStride);
        ref T i4 = ref Unsafe.Add(ref init, 4 * initStride);
        ref T i5 = ref Unsafe.Add(ref init, 5 * initStride);
        TVector x00 = TSimd.Load(ref Unsafe.Add(ref i0, 0 * v)), x01 = TSimd.Load(ref Unsafe.Add(ref i0, 1 * v));
        TVector x10 = TSimd.Load(ref Unsafe.Add(ref i1, 0 * v)), x11 = TSimd.Load(ref Unsafe.Add(ref i1, 1 * v));
        TVector x20 = TSimd.Load(ref Unsafe.Add(ref i2, 0 * v)), x21 = TSimd.Load(ref Unsafe.Add(ref i2, 1 * v));
        TVector x30 = TSimd.Load(ref Unsafe.Add(ref i3, 0 * v)), x31 = TSimd.Load(ref Unsafe.Add(ref i3, 1 * v));
        TVector x40 = TSimd.Load(ref Unsafe.Add(ref i4, 0 * v)), x41 = TSimd.Load(ref Unsafe.Add(ref i4, 1 * v));
        TVector x50 = TSimd.Load(ref Unsafe.Add(ref i5, 0 * v)), x51 = TSimd.Load(ref Unsafe.Add(ref i5, 1 * v));
        ref T ap = ref a;
        ref T qp = ref q;
        for (int s = 0; s < depth; s++)
        {
            TVector q0 = TSimd.Load(ref Unsafe.Add(ref qp, 0 * v)), q1 = TSimd.Load(ref Unsafe.Add(ref qp, 1 * v));
            TVector b0 = TSimd.Broadcast(Unsafe.Add(ref ap, 0 * aRow));
            x00 = TSimd.MultiplyAdd(b0, q0, x00); x01 = TSimd.MultiplyAdd(b0, q1, x01);
            TVector b1 = TSimd.Broadcast(Unsafe.Add(ref ap, 1 * aRow));
            x10 = TSimd.MultiplyAdd(b1, q0, x10); x11 = TSimd.MultiplyAdd(b1, q1, x11);
            TVector b2 = TSimd.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
            x20 = TSimd.MultiplyAdd(b2, q0, x20); x21 = TSimd.MultiplyAdd(b2, q1, x21);
            TVector b3 = TSimd.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x30 = TSimd.MultiplyAdd(b3, q0, x30); x31 = TSimd.MultiplyAdd(b3, q1, x31);
            TVector b4 = TSimd.Broadcast(Unsafe.Add(ref ap, 4 * aRow));
            x40 = TSimd.MultiplyAdd(b4, q0, x40); x41 = TSimd.MultiplyAdd(b4, q1, x41);
            TVector b5 = TSimd.Broadcast(Unsafe.Add(ref ap, 5 * aRow));
            x50 = TSimd.MultiplyAdd(b5, q0, x50); x51 = TSimd.MultiplyAdd(b5, q1, x51);
            ap = ref Unsafe.Add(ref ap, aStep);
            qp = ref Unsafe.Add(ref qp, qStride);
        }
        ref T c0 = ref Unsafe.Add(ref c, 0 * cStride);
        ref T c1 = ref Unsafe.Add(ref c, 1 * cStride);
        ref T c2 = ref Unsafe.Add(ref c, 2 * cStride);
        ref T c3 = ref Unsafe.Add(ref c, 3 * cStride);
        ref T c4 = ref Unsafe.Add(ref c, 4 * cStride);
        ref T c5 = ref Unsafe.Add(ref c, 5 * cStride);
        TSimd.Store(ref Unsafe.Add(ref c0, 0 * v), x00); TSimd.Store(ref Unsafe.Add(ref c0, 1 * v), x01);
        TSimd.Store(ref Unsafe.Add(ref c1, 0 * v), x10); TSimd.Store(ref Unsafe.Add(ref c1, 1 * v), x11);
        TSimd.Store(ref Unsafe.Add(ref c2, 0 * v), x20); TSimd.Store(ref Unsafe.Add(ref c2, 1 * v), x21);
        TSimd.Store(ref Unsafe.Add(ref c3, 0 * v), x30); TSimd.Store(ref Unsafe.Add(ref c3, 1 * v), x31);
        TSimd.Store(ref Unsafe.Add(ref c4, 0 * v), x40); TSimd.Store(ref Unsafe.Add(ref c4, 1 * v), x41);
        TSimd.Store(ref Unsafe.Add(ref c5, 0 * v), x50); TSimd.Store(ref Unsafe.Add(ref c5, 1 * v), x51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x1<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        nint v = TSimd.Count;
        ref T i0 = ref Unsafe.Add(ref init, 0 * initStride);
        ref T i1 = ref Unsafe.Add(ref init, 1 * initStride);
        ref T i2 = ref Unsafe.Add(ref init, 2 * initStride);
        ref T i3 = ref Unsafe.Add(ref init, 3 * initStride);
        ref T i4 = ref Unsafe.Add(ref init, 4 * initStride);
        ref T i5 = ref Unsafe.Add(ref init, 5 * initStride);
        TVector x00 = TSimd.Load(ref Unsafe.Add(ref i0, 0 * v));
        TVector x10 = TSimd.Load(ref Unsafe.Add(ref i1, 0 * v));
        TVector x20 = TSimd.Load(ref Unsafe.Add(ref i2, 0 * v));
        TVector x30 = TSimd.Load(ref Unsafe.Add(ref i3, 0 * v));
        TVector x40 = TSimd.Load(ref Unsafe.Add(ref i4, 0 * v));
        TVector x50 = TSimd.Load(ref Unsafe.Add(ref i5, 0 * v));
        ref T ap = ref a;
        ref T qp = ref q;
        for (int s = 0; s < depth; s++)
        {
            TVector q0 = TSimd.Load(ref Unsafe.Add(ref qp, 0 * v));
            TVector b0 = TSimd.Broadcast(Unsafe.Add(ref ap, 0 * aRow));
            x00 = TSimd.MultiplyAdd(b0, q0, x00);
            TVector b1 = TSimd.Broadcast(Unsafe.Add(ref ap, 1 * aRow));
            x10 = TSimd.MultiplyAdd(b1, q0, x10);
            TVector b2 = TSimd.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
            x20 = TSimd.MultiplyAdd(b2, q0, x20);
            TVector b3 = TSimd.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x30 = TSimd.MultiplyAdd(b3, q0, x30);
            TVector b4 = TSimd.Broadcast(Unsafe.Add(ref ap, 4 * aRow));
            x40 = TSimd.MultiplyAdd(b4, q0, x40);
            TVector b5 = TSimd.Broadcast(Unsafe.Add(ref ap, 5 * aRow));
            x50 = TSimd.MultiplyAdd(b5, q0, x50);
            ap = ref Unsafe.Add(ref ap, aStep);
            qp = ref Unsafe.Add(ref qp, qStride);
        }
        ref T c0 = ref Unsafe.Add(ref c, 0 * cStride);
        ref T c1 = ref Unsafe.Add(ref c, 1 * cStride);
        ref T c2 = ref Unsafe.Add(ref c, 2 * cStride);
        ref T c3 = ref Unsafe.Add(ref c, 3 * cStride);
        ref T c4 = ref Unsafe.Add(ref c, 4 * cStride);
        ref T c5 = ref Unsafe.Add(ref c, 5 * cStride);
        TSimd.Store(ref Unsafe.Add(ref c0, 0 * v), x00);
        TSimd.Store(ref Unsafe.Add(ref c1, 0 * v), x10);
        TSimd.Store(ref Unsafe.Add(ref c2, 0 * v), x20);
        TSimd.Store(ref Unsafe.Add(ref c3, 0 * v), x30);
        TSimd.Store(ref Unsafe.Add(ref c4, 0 * v), x40);
        TSimd.Store(ref Unsafe.Add(ref c5, 0 * v), x50);
    }

    // A row of zeros as wide as the widest panel, where sums start from zero.
    private static class Zeros<T> where T : unmanaged
    {
        public static readonly T[] Row = new T[4 * Vector512<T>.Count];
    }

    // Packing buffers, one set per thread, grown on first use and then reused: no allocation per step.
    private static class Scratch<T>
    {
        [ThreadStatic]
        private static T[]? t_panels;

        [ThreadStatic]
        private static T[]? t_tiles;

        public static T[] Panels(int length) => Ensure(ref t_panels, length);

        public static T[] Tiles(int length) => Ensure(ref t_tiles, length);

        private static T[] Ensure(ref T[]? buffer, int length)
        {
            if (buffer is null || buffer.Length < length)
                buffer = new T[Math.Max(length, 1)];
            return buffer;
        }
    }
}
