using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
internal static partial class Gemm
{
    // Below this many multiply-adds a second thread costs more than it gives (counting the lanes of
    // padded panels, which cost as much: a one-output layer's products are 16 times their size).
    private const long ParallelThreshold = 1 << 20;

    // Steps a product is costed at, at the least: each element of C is loaded and stored (and a
    // relu gate read) whatever the depth, so a product a few steps deep (a one-output layer's input
    // gradient is one) costs far more than its multiply-adds.
    private const int MinCostedSteps = 16;

    // Rows of C per micro-tile. A tile is 1, 2 or 4 vectors wide: 6 x 4 accumulators fill most of
    // AVX-512's 32 registers, 6 x 2 most of AVX2's 16.
    private const int TileRows = 6;

    // Steps of s per pass over C: a packed Q panel of this depth stays in the first-level cache.
    private const int Depth = 128;

    // Rows of C per block: a block of C this tall stays in the second-level cache across the passes.
    private const int BlockRows = 32 * TileRows;

    // Panels in a block of C that two threads share out (when A is read in place).
    private const int PanelsPerBlock = 4;

    // Blocks of C a shared product is cut into at the least, so that the last one taken leaves
    // the other thread little to wait for.
    private const int MinSharedBlocks = 8;

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

    /// <summary>
    /// z: [n, dout] = x: [n, din] . wt: [din, dout] + b: [dout], then a = g(z) as in <see cref="Forward"/>:
    /// the same chains, with the weights stored turned, as inference lays them out once. Rows of wt
    /// are then Q's rows, so whole panels are read in place instead of packed on every call.
    /// </summary>
    public static void ForwardTurned<T>(Memory<T> z, ReadOnlyMemory<T> x, ReadOnlyMemory<T> wt, ReadOnlyMemory<T> b, int n, int din, int dout, int threads, int vectorBits = 0,
        Activation activation = Activation.Identity, Memory<T> a = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var product = new Product<T>(z, dout, n, dout, Start.Bias, b, x, din, 1, wt, dout, 1, din, activation, a);
        Run(product, threads, vectorBits);
    }

    /// <summary>dw: [dout, din] = d: [n, dout]^T . a: [n, din];  db: [dout] = column sums of d.</summary>
    /// <remarks>Written, not accumulated: a pass computes each layer's gradient once, so nothing needs clearing first.</remarks>
    public static void WeightGradient<T>(Memory<T> dw, Memory<T> db, ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, int n, int din, int dout, int threads, int vectorBits = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ColumnSums(db[..dout], d, n, dout, threads);
        int lanes = WidthInBits(vectorBits) / (8 * Unsafe.SizeOf<T>());
        if (din < lanes && dout >= 4 * lanes)
        {
            // Fewer inputs than a vector has lanes (a first layer on a few features): dw's one panel
            // would be mostly padding, while dw^T = a^T d has whole panels. Each element is the same
            // chain either way (the two factors of each product only swap places), so compute dw^T
            // and turn it.
            var turned = Scratch<T>.Turned(din * dout);
            Run(new Product<T>(turned, dout, din, dout, Start.Zero, default, a, 1, din, d, dout, 1, n), threads, vectorBits);
            TransposeRegion(ref turned.Span[0], dout, 1, dw.Span[..(dout * din)], din, 0, dout, 0, din);
            return;
        }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnSumsRange<T>(void* state, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var job = ref Unsafe.AsRef<ColumnSumsJob<T>>(state);
        var sums = job.Sums.Span;
        var d = job.D.Span;
        int columns = sums.Length, rows = job.Rows;
        int width = Vector<T>.Count, j = start;
        // Four vectors of columns at a time, summed down the rows in registers.
        for (; j <= end - 4 * width; j += 4 * width)
        {
            Vector<T> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < rows; i++)
            {
                var row = d.Slice(i * columns + j, 4 * width);
                s0 += new Vector<T>(row);
                s1 += new Vector<T>(row[width..]);
                s2 += new Vector<T>(row[(2 * width)..]);
                s3 += new Vector<T>(row[(3 * width)..]);
            }
            s0.CopyTo(sums[j..]);
            s1.CopyTo(sums[(j + width)..]);
            s2.CopyTo(sums[(j + 2 * width)..]);
            s3.CopyTo(sums[(j + 3 * width)..]);
        }
        for (; j < end; j++)
        {
            T sum = T.Zero;
            for (int i = 0; i < rows; i++)
                sum += d[i * columns + j];
            sums[j] = sum;
        }
    }

    /// <summary>
    /// da: [n, din] = d: [n, dout] . w: [dout, din]; then, when <paramref name="reluGate"/> ([n, din], the
    /// activations of a relu layer below) is given, da is zeroed where the gate is not positive: the
    /// relu's derivative, applied to the accumulators as they are stored.
    /// </summary>
    public static void InputGradient<T>(Memory<T> da, ReadOnlyMemory<T> d, ReadOnlyMemory<T> w, int n, int din, int dout, int threads, int vectorBits = 0,
        ReadOnlyMemory<T> reluGate = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var product = new Product<T>(da, din, n, din, Start.Zero, default, d, dout, 1, w, din, 1, dout, Gate: reluGate);
        Run(product, threads, vectorBits);
    }

    /// <summary>The widest vectors this machine runs natively, in bits.</summary>
    public static int NativeVectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    // The vector width a product runs at: the one asked for, or 0 for the native one.
    private static int WidthInBits(int vectorBits) => vectorBits == 0 ? NativeVectorBits : vectorBits;

    // C: [rows, cols] with row stride cStride starts as Zero, Bias (bias[col]) or Existing, then gains
    // sum_s A(r, s) Q(s, col), where A(r, s) = a[r * aRow + s * aStep] and Q(s, col) = q[s * qStep + col * qColumn].
    private readonly record struct Product<T>(
        Memory<T> C, int CStride, int Rows, int Cols, Start Start, ReadOnlyMemory<T> Bias,
        ReadOnlyMemory<T> A, int ARow, int AStep, ReadOnlyMemory<T> Q, int QStep, int QColumn, int Steps,
        Activation Epilogue = Activation.Identity, Memory<T> Activated = default, ReadOnlyMemory<T> Gate = default)
        where T : unmanaged, IFloatingPointIeee754<T>;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(in Product<T> product, int threads, int vectorBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (WidthInBits(vectorBits))
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
        if (IsMatrixVector(product, Unsafe.SizeOf<TVector>()))
        {
            RunMatrixVector(product, threads);
            return;
        }
        // Narrow products (a single output, a handful of inputs) use one-vector panels so that
        // padding does not multiply the work.
        int wideVectors = Unsafe.SizeOf<TVector>() >= 64 ? 4 : 2;
        int panelWidth = product.Cols <= TSimd.Count ? TSimd.Count : wideVectors * TSimd.Count;
        int panels = (product.Cols + panelWidth - 1) / panelWidth;
        var packedQ = Scratch<T>.Panels(panels * panelWidth * product.Steps);
        long work = (long)product.Rows * panels * panelWidth * Math.Max(product.Steps, MinCostedSteps);
        if (threads > 1 && work >= ParallelThreshold && (panels >= 2 || product.Rows >= 2 * TileRows))
        {
            RunParallel<T, TVector, TSimd>(product, packedQ, panelWidth, panels);
            return;
        }
        PackQ(packedQ.Span, product, panelWidth, 0, panels);
        RunBlock<T, TVector, TSimd>(product, packedQ, panelWidth, 0, product.Rows, 0, panels);
    }

    // Two threads take blocks of C (a block of rows by a group of panels) from a shared count until
    // none are left, so that a thread slowed by a busy machine simply does fewer of them. Who computes
    // a block does not change its bits. When A must be packed (the weight gradient's d^T) a block
    // spans every panel, so that each block of rows packs its A once.
    // Q's panels are packed in two halves, each by the first thread to need it: a thread starts by
    // packing its own half, and a block needing a half nobody has started packs it on the spot, or
    // waits for the thread packing it. So there is no barrier between packing and computing, and a
    // caller left alone (the partner busy with another caller's job, which runs both halves here one
    // after the other) packs the other half itself instead of waiting for it.
    private static unsafe void RunParallel<T, TVector, TSimd>(Product<T> product, Memory<T> packedQ, int panelWidth, int panels)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        int groups = PacksA(product) ? 1 : (panels + PanelsPerBlock - 1) / PanelsPerBlock;
        // Blocks of rows shorter than BlockRows where there would be too few blocks to share evenly.
        int perGroup = Math.Max(1, MinSharedBlocks / groups);
        int blockRows = Math.Min(BlockRows, ((product.Rows + perGroup - 1) / perGroup + TileRows - 1) / TileRows * TileRows);
        var job = new SplitJob<T>
        {
            Product = product,
            PackedQ = packedQ,
            PanelWidth = panelWidth,
            Panels = panels,
            PanelGroups = groups,
            BlockRows = blockRows,
            Blocks = (product.Rows + blockRows - 1) / blockRows * groups,
        };
        PartnerThread.Run(&RunHalf<T, TVector, TSimd>, Unsafe.AsPointer(ref job));
    }

    private struct SplitJob<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Product<T> Product;
        public Memory<T> PackedQ;
        public int PanelWidth;
        public int Panels;
        public int PanelGroups;
        public int BlockRows;
        public int Blocks;
        public int Taken; // blocks handed out so far
        public int LowHalf, HighHalf; // packing state of panels [0, Middle) and [Middle, Panels)

        public readonly int Middle => Panels / 2;
    }

    private const int Unpacked = 0, Packing = 1, Packed = 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunHalf<T, TVector, TSimd>(void* state, int half)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        ref var job = ref Unsafe.AsRef<SplitJob<T>>(state);
        var product = job.Product;
        int middle = job.Middle;
        EnsurePacked(ref job, high: half == 1);
        int groupPanels = job.PanelGroups == 1 ? job.Panels : PanelsPerBlock;
        for (int block = Interlocked.Increment(ref job.Taken) - 1; block < job.Blocks; block = Interlocked.Increment(ref job.Taken) - 1)
        {
            int r0 = block / job.PanelGroups * job.BlockRows, p0 = block % job.PanelGroups * groupPanels;
            int p1 = Math.Min(job.Panels, p0 + groupPanels);
            if (p0 < middle)
                EnsurePacked(ref job, high: false);
            if (p1 > middle)
                EnsurePacked(ref job, high: true);
            RunTiles<T, TVector, TSimd>(product, job.PackedQ, job.PanelWidth, r0, Math.Min(product.Rows, r0 + job.BlockRows), p0, p1);
        }
    }

    // Returns once one half of Q's panels is packed: packing it here if no thread has started it.
    private static void EnsurePacked<T>(ref SplitJob<T> job, bool high)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref int state = ref high ? ref job.HighHalf : ref job.LowHalf;
        if (Volatile.Read(ref state) == Packed)
            return;
        if (Interlocked.CompareExchange(ref state, Packing, Unpacked) == Unpacked)
        {
            try
            {
                PackQ(job.PackedQ.Span, job.Product, job.PanelWidth, high ? job.Middle : 0, high ? job.Panels : job.Middle);
            }
            finally
            {
                // Also after a failure, so the other thread is not left waiting; the failure still surfaces.
                Volatile.Write(ref state, Packed);
            }
            return;
        }
        PartnerThread.SpinUntil(ref state, Packed);
    }

    // C's rows [r0, r1) and panels [p0, p1), Depth steps at a time: in each pass a panel slice of Q
    // stays in the first-level cache while every micro-tile of rows goes over it.
    private static void RunBlock<T, TVector, TSimd>(Product<T> product, Memory<T> packedQ, int panelWidth, int r0, int r1, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        for (int r = r0; r < r1; r += BlockRows)
            RunTiles<T, TVector, TSimd>(product, packedQ, panelWidth, r, Math.Min(r1, r + BlockRows), p0, p1);
    }

    // The edge buffers are cleared where they are used, so the stack is not zeroed on every call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RunTiles<T, TVector, TSimd>(Product<T> product, Memory<T> packedPanels, int panelWidth, int r0, int r1, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        var c = product.C.Span;
        var a = product.A.Span;
        var packedQ = packedPanels.Span;
        int cStride = product.CStride, cols = product.Cols, steps = product.Steps;
        bool packA = PacksA(product);
        var packedA = packA ? Scratch<T>.Tiles((r1 - r0 + TileRows - 1) / TileRows * TileRows * Math.Min(Depth, steps)).Span : [];
        Span<T> edgeC = stackalloc T[TileRows * 4 * Vector512<T>.Count];
        Span<T> edgeA = stackalloc T[TileRows * Depth];
        int vectors = panelWidth / TSimd.Count;
        var bias = product.Bias.Span;
        bool direct = ReadsQInPlace(product);
        var qSource = product.Q.Span;
        if (direct)
            _ = qSource[(steps - 1) * product.QStep + cols - 1]; // the micro-kernel's in-place reads stay inside Q
        // A relu that overwrites z is applied to the accumulators as the last pass stores them; any
        // other activation to each finished block below.
        bool reluInPlace = product.Epilogue == Activation.Relu
            && Unsafe.AreSame(ref MemoryMarshal.GetReference(product.Activated.Span), ref MemoryMarshal.GetReference(c));
        var gate = product.Gate.Span;
        // A packed Q past this size comes from the third-level cache: its slices are prefetched,
        // spread over the tiles of a block.
        bool farQ = (long)packedQ.Length * Unsafe.SizeOf<T>() > FarPackedBytes;
        int tiles = (r1 - r0 + TileRows - 1) / TileRows;
        for (int s0 = 0; s0 < steps; s0 += Depth)
        {
            int depth = Math.Min(Depth, steps - s0);
            var finish = s0 + depth < steps ? Finish.Store : reluInPlace ? Finish.Relu : gate.IsEmpty ? Finish.Store : Finish.Gate;
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
                var next = farQ ? NextPackedSlice(packedQ, direct, cols, steps, panelWidth, p, s0, p0, p1) : [];
                int linesPerTile = (next.Length * Unsafe.SizeOf<T>() / CacheAligned.LineBytes + tiles - 1) / tiles;
                for (int r = r0, tile = 0; r < r1; r += TileRows, tile++)
                {
                    PrefetchLines(next, tile * linesPerTile, linesPerTile);
                    int height = Math.Min(TileRows, r1 - r);
                    // A micro-tile reads its rows of A in place, or from the packed copy.
                    scoped ref T first = ref packA ? ref packedA[tile * depth * TileRows] : ref Unsafe.AsRef(in a[r * product.ARow + s0 * product.AStep]);
                    nint aRow = packA ? 1 : product.ARow, aStep = packA ? TileRows : product.AStep;
                    // A short last tile of a block that holds a whole tile's rows is run as the whole tile that
                    // ends there, overlapping the one before: its rows of A are read in place, and each row
                    // gets the same bits however many tiles compute it.
                    int overlap = height < TileRows && !packA && r1 - TileRows >= r0 ? TileRows - height : 0;
                    if (overlap > 0)
                    {
                        first = ref Unsafe.AsRef(in a[(r - overlap) * product.ARow + s0 * product.AStep]);
                    }
                    else if (height < TileRows && !packA)
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
                    // The rows it overlaps are rewritten with the bits they already hold when their sums
                    // start from the bias or zero; sums that go on from C must not be added to twice.
                    if (width == panelWidth && (height == TileRows || (overlap > 0 && start != Start.Existing)))
                    {
                        int top = r - overlap;
                        ref T target = ref c[top * cStride + c0];
                        // A later pass reads C's rows the moment a tile starts: the kernel asks for the next tile's.
                        ref T ahead = ref start == Start.Existing && r + 2 * TileRows <= r1 ? ref Unsafe.Add(ref target, TileRows * cStride) : ref Unsafe.NullRef<T>();
                        ref T gated = ref finish == Finish.Gate ? ref Unsafe.AsRef(in gate[top * cStride + c0]) : ref target;
                        if (start == Start.Existing)
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref target, cStride, ref first, aRow, aStep, ref q, qStride, depth, finish, ref gated, ref ahead);
                        else if (start == Start.Bias)
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref Unsafe.AsRef(in bias[c0]), 0, ref first, aRow, aStep, ref q, qStride, depth, finish, ref gated, ref ahead);
                        else
                            MicroTile<T, TVector, TSimd>(vectors, ref target, cStride, ref Zeros<T>.Row[0], 0, ref first, aRow, aStep, ref q, qStride, depth, finish, ref gated, ref ahead);
                        continue;
                    }
                    // Other edges run the same micro-kernel on a zero-padded copy of the block of C they
                    // cover, whose first rows are the overlapped ones, if any.
                    var blockC = edgeC[..(TileRows * panelWidth)];
                    blockC.Clear();
                    for (int i = 0; i < height; i++)
                    {
                        var from = start == Start.Existing ? c.Slice((r + i) * cStride + c0, width)
                            : start == Start.Bias ? bias.Slice(c0, width) : [];
                        from.CopyTo(blockC.Slice((overlap + i) * panelWidth, width));
                    }
                    // (The padded copy has no gate beside it: the gate is applied once the rows are back.)
                    var edgeFinish = finish == Finish.Gate ? Finish.Store : finish;
                    MicroTile<T, TVector, TSimd>(vectors, ref blockC[0], panelWidth, ref blockC[0], panelWidth, ref first, aRow, aStep, ref q, qStride, depth, edgeFinish, ref blockC[0], ref Unsafe.NullRef<T>());
                    for (int i = 0; i < height; i++)
                    {
                        int at = (r + i) * cStride + c0;
                        blockC.Slice((overlap + i) * panelWidth, width).CopyTo(c.Slice(at, width));
                        if (finish == Finish.Gate)
                            ActivationFunctions.Backward(Activation.Relu, c.Slice(at, width), gate.Slice(at, width), gate.Slice(at, width));
                    }
                }
                if (s0 + depth == steps && product.Epilogue != Activation.Identity && !reluInPlace)
                {
                    var activated = product.Activated.Span;
                    for (int r = r0; r < r1; r++)
                        ActivationFunctions.Forward(product.Epilogue, activated.Slice(r * cStride + c0, width), c.Slice(r * cStride + c0, width));
                }
            }
        }
    }

    // Packed Q larger than this does not stay in the second-level cache between its uses.
    private const long FarPackedBytes = 1 << 20;

    // The packed slice of Q that RunTiles goes over after the one of panel p in the pass at s0
    // (the next panel, else the first of the next pass), or nothing when it is read in place or
    // there is none.
    private static ReadOnlySpan<T> NextPackedSlice<T>(ReadOnlySpan<T> packedQ, bool direct, int cols, int steps, int panelWidth, int p, int s0, int p0, int p1)
        where T : unmanaged
    {
        (int panel, int pass) = p + 1 < p1 ? (p + 1, s0) : (p0, s0 + Depth);
        if (pass >= steps || (direct && Math.Min(panelWidth, cols - panel * panelWidth) == panelWidth))
            return [];
        return packedQ.Slice((panel * steps + pass) * panelWidth, Math.Min(Depth, steps - pass) * panelWidth);
    }

    // Asks for lines [first, first + count) of a slice of Q ahead of their use: a large product's
    // packed Q does not fit the second-level cache, and reading each slice cold from the third made
    // the micro-kernel about a sixth slower (a harness cycling W4's packed panels). Spread over the
    // tiles of the slice before it, the requests arrive while that slice is in use.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLines<T>(ReadOnlySpan<T> slice, int first, int count)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
            return;
        int lines = slice.Length * sizeof(T) / CacheAligned.LineBytes;
        ref byte start = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(slice));
        for (int line = first, end = Math.Min(lines, first + count); line < end; line++)
            Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref start, line * CacheAligned.LineBytes)));
    }

    // A row of zeros as wide as the widest panel, where sums start from zero.
    private static class Zeros<T> where T : unmanaged
    {
        public static readonly T[] Row = new T[4 * Vector512<T>.Count];
    }

    // Packing buffers, one set per thread, grown on first use and then reused: no allocation per step.
    // Cache-aligned, so that the micro-kernel's whole-vector loads of a packed panel never split.
    private static class Scratch<T> where T : unmanaged
    {
        [ThreadStatic]
        private static Memory<T> t_panels;

        [ThreadStatic]
        private static Memory<T> t_tiles;

        [ThreadStatic]
        private static Memory<T> t_turned;

        public static Memory<T> Panels(int length) => Ensure(ref t_panels, length);

        public static Memory<T> Tiles(int length) => Ensure(ref t_tiles, length);

        // A product computed transposed, before it is turned into place.
        public static Memory<T> Turned(int length) => Ensure(ref t_turned, length);

        // The first length elements of the thread's buffer, grown when too short.
        private static Memory<T> Ensure(ref Memory<T> buffer, int length)
        {
            if (buffer.Length < length || buffer.IsEmpty)
                buffer = CacheAligned.Allocate<T>(Math.Max(length, 1));
            return buffer[..length];
        }
    }
}
