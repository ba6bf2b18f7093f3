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
            int blockSteps = 0, blockColumns = 0;
            if (typeof(T) == typeof(float) && Sse.IsSupported && product.QStep == 1)
            {
                blockSteps = steps & ~3;
                blockColumns = count & ~3;
                Transpose4x4Blocks(ref Unsafe.As<T, float>(ref first), product.QColumn, ref Unsafe.As<T, float>(ref panel[0]), width, blockSteps, blockColumns);
            }
            // What the 4 x 4 blocks left: the last columns for every step, the last steps for the others.
            TransposeScalar(ref first, product.QColumn, product.QStep, panel, width, 0, steps, blockColumns, count);
            TransposeScalar(ref first, product.QColumn, product.QStep, panel, width, blockSteps, steps, 0, blockColumns);
        }
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
