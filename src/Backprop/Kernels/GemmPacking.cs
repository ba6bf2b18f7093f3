using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

// Laying out the operands of a product for the micro-kernels: Q in panels a few vectors wide, and A
// in tiles of rows when its stride would make direct reads fight over the cache.
internal static partial class Gemm
{
    // packed[(p * steps + s) * width + t] = Q(s, p * width + t) for panels p in [p0, p1), zero past the last column.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackQ<T>(Span<T> packed, in Product<T> product, int width, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
                if (count == width && Vector512.IsHardwareAccelerated && width % Vector512<T>.Count == 0)
                {
                    // Full panel rows of whole vectors: copied inline, a call per row would cost more.
                    _ = q[(steps - 1) * product.QStep + c0 + width - 1];
                    ref T source = ref Unsafe.AsRef(in q[c0]);
                    ref T target = ref panel[0];
                    for (int s = 0; s < steps; s++)
                    {
                        ref T from = ref Unsafe.Add(ref source, s * product.QStep);
                        ref T to = ref Unsafe.Add(ref target, s * width);
                        for (int t = 0; t < width; t += Vector512<T>.Count)
                            Vector512.LoadUnsafe(ref from, (nuint)t).StoreUnsafe(ref to, (nuint)t);
                    }
                    continue;
                }
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
            ref T first = ref Unsafe.AsRef(in q[c0 * product.QColumn]);
            TransposeRegion(ref first, product.QColumn, product.QStep, panel, width, 0, steps, 0, count);
        }
    }

    // panel[s * width + t] = Q(s, t) for s in [s0, s1), t in [t0, t1): floats with unit step in square
    // blocks through registers, 8 x 8 where they fit, then 4 x 4, then one at a time for what is left.
    private static void TransposeRegion<T>(ref T first, nint column, nint step, Span<T> panel, int width, int s0, int s1, int t0, int t1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = typeof(T) != typeof(float) || step != 1 ? 1
            : Avx.IsSupported && s1 - s0 >= 8 && t1 - t0 >= 8 ? 8
            : Sse.IsSupported && s1 - s0 >= 4 && t1 - t0 >= 4 ? 4
            : 1;
        if (block == 1)
        {
            TransposeScalar(ref first, column, step, panel, width, s0, s1, t0, t1);
            return;
        }
        int s = s0 + (s1 - s0) / block * block, t = t0 + (t1 - t0) / block * block;
        ref float from = ref Unsafe.As<T, float>(ref Unsafe.Add(ref first, t0 * column + s0));
        ref float to = ref Unsafe.As<T, float>(ref panel[s0 * width + t0]);
        if (block == 8)
            Transpose8x8Blocks(ref from, column, ref to, width, s - s0, t - t0);
        else
            Transpose4x4Blocks(ref from, column, ref to, width, s - s0, t - t0);
        // What the blocks left: the last columns beside them, then the last steps below them all.
        TransposeRegion(ref first, column, step, panel, width, s0, s, t, t1);
        TransposeRegion(ref first, column, step, panel, width, s, s1, t0, t1);
    }

    // panel[s * width + t] = Q(s, t) for s in [s0, s1), t in [t0, t1), where Q(s, t) = first[t * column + s * step].
    // Steps go in blocks of 16, so that the panel rows being written stay in cache while each column
    // of Q is read a cache line at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeScalar<T>(ref T first, nint column, nint step, Span<T> panel, int width, int s0, int s1, int t0, int t1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Block = 16;
        for (int b = s0; b < s1; b += Block)
        {
            int length = Math.Min(s1 - b, Block);
            for (int t = t0; t < t1; t++)
            {
                ref T from = ref Unsafe.Add(ref first, t * column + b * step);
                ref T to = ref panel[b * width + t];
                for (int s = 0; s < length; s++)
                    Unsafe.Add(ref to, s * width) = Unsafe.Add(ref from, s * step);
            }
        }
    }

    // The same for floats with unit step, 4 x 4 at a time through registers: four rows of Q in, four
    // rows of the panel out (the classic unpack-and-move transpose).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose4x4Blocks(ref float first, nint column, ref float panel, nint width, int steps, int columns)
    {
        for (int s = 0; s < steps; s += 4)
        {
            for (int t = 0; t < columns; t += 4)
            {
                ref float from = ref Unsafe.Add(ref first, t * column + s);
                var r0 = Vector128.LoadUnsafe(ref from);
                var r1 = Vector128.LoadUnsafe(ref from, (nuint)column);
                var r2 = Vector128.LoadUnsafe(ref from, (nuint)(2 * column));
                var r3 = Vector128.LoadUnsafe(ref from, (nuint)(3 * column));
                var low01 = Sse.UnpackLow(r0, r1);
                var low23 = Sse.UnpackLow(r2, r3);
                var high01 = Sse.UnpackHigh(r0, r1);
                var high23 = Sse.UnpackHigh(r2, r3);
                ref float to = ref Unsafe.Add(ref panel, s * width + t);
                Sse.MoveLowToHigh(low01, low23).StoreUnsafe(ref to);
                Sse.MoveHighToLow(low23, low01).StoreUnsafe(ref to, (nuint)width);
                Sse.MoveLowToHigh(high01, high23).StoreUnsafe(ref to, (nuint)(2 * width));
                Sse.MoveHighToLow(high23, high01).StoreUnsafe(ref to, (nuint)(3 * width));
            }
        }
    }

    // The same 8 x 8 at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8Blocks(ref float first, nint column, ref float panel, nint width, int steps, int columns)
    {
        for (int s = 0; s < steps; s += 8)
        {
            for (int t = 0; t < columns; t += 8)
            {
                LoadTurned8x8(ref Unsafe.Add(ref first, t * column + s), column, out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                ref float to = ref Unsafe.Add(ref panel, s * width + t);
                c0.StoreUnsafe(ref to);
                c1.StoreUnsafe(ref to, (nuint)width);
                c2.StoreUnsafe(ref to, (nuint)(2 * width));
                c3.StoreUnsafe(ref to, (nuint)(3 * width));
                c4.StoreUnsafe(ref to, (nuint)(4 * width));
                c5.StoreUnsafe(ref to, (nuint)(5 * width));
                c6.StoreUnsafe(ref to, (nuint)(6 * width));
                c7.StoreUnsafe(ref to, (nuint)(7 * width));
            }
        }
    }

    // Column j of the 8 x 8 block whose rows start stride apart at from, as cj: each of eight registers
    // is loaded with four values of one row in its low half and of the row four further on in its
    // high half (a load and an insert, no shuffle), so that a 4 x 4 unpack-and-shuffle within each
    // half finishes the turn: half the shuffles per element of 4 x 4 blocks, which bound such loops.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTurned8x8(ref float from, nint stride, out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        ref float from4 = ref Unsafe.Add(ref from, 4 * stride);
        var r0 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4), 1);
        var r1 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)stride).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)stride), 1);
        var r2 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)(2 * stride)).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)(2 * stride)), 1);
        var r3 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)(3 * stride)).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)(3 * stride)), 1);
        var r4 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, 4).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, 4), 1);
        var r5 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)stride + 4).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)stride + 4), 1);
        var r6 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)(2 * stride) + 4).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)(2 * stride) + 4), 1);
        var r7 = Avx.InsertVector128(Vector128.LoadUnsafe(ref from, (nuint)(3 * stride) + 4).ToVector256Unsafe(), Vector128.LoadUnsafe(ref from4, (nuint)(3 * stride) + 4), 1);
        TurnHalves4x4(r0, r1, r2, r3, out c0, out c1, out c2, out c3);
        TurnHalves4x4(r4, r5, r6, r7, out c4, out c5, out c6, out c7);
    }

    // The transposes of the 4 x 4 blocks held in each 128-bit half of r0..r3.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TurnHalves4x4(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        var low01 = Avx.UnpackLow(r0, r1);
        var low23 = Avx.UnpackLow(r2, r3);
        var high01 = Avx.UnpackHigh(r0, r1);
        var high23 = Avx.UnpackHigh(r2, r3);
        c0 = Avx.Shuffle(low01, low23, 0x44);
        c1 = Avx.Shuffle(low01, low23, 0xEE);
        c2 = Avx.Shuffle(high01, high23, 0x44);
        c3 = Avx.Shuffle(high01, high23, 0xEE);
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

    // Q's rows are contiguous and either so close together that a panel's rows spread over the cache
    // sets, or read by one tile of rows only (a one-output layer's weight gradient), so that a
    // packed copy would never be read again: reading them in place costs less than copying them.
    private static bool ReadsQInPlace<T>(in Product<T> product)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        product.QColumn == 1 && (product.QStep * Unsafe.SizeOf<T>() < 1024 || product.Rows <= TileRows);

    // A strided along s is packed only when its stride is long enough for every read to land on a
    // new cache line, and for those lines to fight over the same cache sets.
    private static bool PacksA<T>(in Product<T> product)
        where T : unmanaged, IFloatingPointIeee754<T> => product.AStep * Unsafe.SizeOf<T>() >= 2048;
}
