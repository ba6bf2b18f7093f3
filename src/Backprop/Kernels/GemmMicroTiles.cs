using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

// The micro-kernels: a tile of C held in registers while the steps of a pass stream through. Each is
// written out in full, one accumulator per register, because that is what register blocking is.
internal static partial class Gemm
{
    // C[0..6, 0..width) = init[0..6, 0..width) + sum_s A(0..6, s) (x) q[s, 0..width), with A(r, s) =
    // a[r * aRow + s * aStep], q rows of 1, 2 or 4 vectors qStride apart: the accumulators stay in registers
    // and every load of q feeds 6 fused multiply-adds. init is C itself, the bias (row stride 0) or zeros.
    // finish says what happens to each value as it is stored; gate is laid out like C. ahead, when not
    // a null reference, is the first element of the next tile's rows of C, asked for while this one computes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroTile<T, TVector, TSimd>(int vectors, ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth, Finish finish, ref T gate, ref T ahead)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        if (vectors == 4)
            Tile6x4<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth, finish, ref gate, ref ahead);
        else if (vectors == 2)
            Tile6x2<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth, finish, ref gate, ref ahead);
        else
            Tile6x1<T, TVector, TSimd>(ref c, cStride, ref init, initStride, ref a, aRow, aStep, ref q, qStride, depth, finish, ref gate, ref ahead);
    }

    // What the pass that ends at a micro-tile does to each accumulator as it stores it.
    private enum Finish
    {
        Store,
        Relu, // max(value, 0): a relu applied in place
        Gate, // value where gate > 0, else 0: the relu's derivative, gate being the activations it gave
    }

    // Lines of the next tile's rows of C the kernel asks for, one a step over its first steps: rows a long
    // stride apart are not something the hardware prefetchers guess. Asked for all at once before the
    // tile, they held it up waiting for fill buffers; spread this way, W4 ran 3-4% faster on one thread.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AheadLines<T, TVector>(ref T ahead, int vectors)
        where T : unmanaged
        where TVector : struct
        => Unsafe.IsNullRef(ref ahead) || !Sse.IsSupported ? 0 : TileRows * RowLines<T, TVector>(vectors);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AskForLine<T, TVector>(ref T ahead, nint cStride, int line, int vectors)
        where T : unmanaged
        where TVector : struct
    {
        int rowLines = RowLines<T, TVector>(vectors);
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref ahead, line / rowLines * cStride + line % rowLines * (CacheAligned.LineBytes / sizeof(T)))));
    }

    // Cache lines in one row of a tile that many vectors wide.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowLines<T, TVector>(int vectors)
        where TVector : struct
        => Math.Max(1, vectors * Unsafe.SizeOf<TVector>() / CacheAligned.LineBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T, TVector, TSimd>(ref T destination, TVector value, Finish finish, ref T gate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        if (finish == Finish.Relu)
            value = TSimd.Relu(value);
        else if (finish == Finish.Gate)
            value = TSimd.Gate(value, TSimd.Load(ref gate));
        TSimd.Store(ref destination, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth, Finish finish, ref T gate, ref T ahead)
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
        int aheadLines = AheadLines<T, TVector>(ref ahead, 4);
        for (int s = 0; s < depth; s++)
        {
            if (s < aheadLines)
                AskForLine<T, TVector>(ref ahead, cStride, s, 4);
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
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 0 * v), x00, finish, ref Unsafe.Add(ref gate, 0 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 1 * v), x01, finish, ref Unsafe.Add(ref gate, 0 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 2 * v), x02, finish, ref Unsafe.Add(ref gate, 0 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 3 * v), x03, finish, ref Unsafe.Add(ref gate, 0 * cStride + 3 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 0 * v), x10, finish, ref Unsafe.Add(ref gate, 1 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 1 * v), x11, finish, ref Unsafe.Add(ref gate, 1 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 2 * v), x12, finish, ref Unsafe.Add(ref gate, 1 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 3 * v), x13, finish, ref Unsafe.Add(ref gate, 1 * cStride + 3 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 0 * v), x20, finish, ref Unsafe.Add(ref gate, 2 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 1 * v), x21, finish, ref Unsafe.Add(ref gate, 2 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 2 * v), x22, finish, ref Unsafe.Add(ref gate, 2 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 3 * v), x23, finish, ref Unsafe.Add(ref gate, 2 * cStride + 3 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 0 * v), x30, finish, ref Unsafe.Add(ref gate, 3 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 1 * v), x31, finish, ref Unsafe.Add(ref gate, 3 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 2 * v), x32, finish, ref Unsafe.Add(ref gate, 3 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 3 * v), x33, finish, ref Unsafe.Add(ref gate, 3 * cStride + 3 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 0 * v), x40, finish, ref Unsafe.Add(ref gate, 4 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 1 * v), x41, finish, ref Unsafe.Add(ref gate, 4 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 2 * v), x42, finish, ref Unsafe.Add(ref gate, 4 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 3 * v), x43, finish, ref Unsafe.Add(ref gate, 4 * cStride + 3 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 0 * v), x50, finish, ref Unsafe.Add(ref gate, 5 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 1 * v), x51, finish, ref Unsafe.Add(ref gate, 5 * cStride + 1 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 2 * v), x52, finish, ref Unsafe.Add(ref gate, 5 * cStride + 2 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 3 * v), x53, finish, ref Unsafe.Add(ref gate, 5 * cStride + 3 * v));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth, Finish finish, ref T gate, ref T ahead)
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
        int aheadLines = AheadLines<T, TVector>(ref ahead, 2);
        for (int s = 0; s < depth; s++)
        {
            if (s < aheadLines)
                AskForLine<T, TVector>(ref ahead, cStride, s, 2);
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
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 0 * v), x00, finish, ref Unsafe.Add(ref gate, 0 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 1 * v), x01, finish, ref Unsafe.Add(ref gate, 0 * cStride + 1 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 0 * v), x10, finish, ref Unsafe.Add(ref gate, 1 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 1 * v), x11, finish, ref Unsafe.Add(ref gate, 1 * cStride + 1 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 0 * v), x20, finish, ref Unsafe.Add(ref gate, 2 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 1 * v), x21, finish, ref Unsafe.Add(ref gate, 2 * cStride + 1 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 0 * v), x30, finish, ref Unsafe.Add(ref gate, 3 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 1 * v), x31, finish, ref Unsafe.Add(ref gate, 3 * cStride + 1 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 0 * v), x40, finish, ref Unsafe.Add(ref gate, 4 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 1 * v), x41, finish, ref Unsafe.Add(ref gate, 4 * cStride + 1 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 0 * v), x50, finish, ref Unsafe.Add(ref gate, 5 * cStride + 0 * v)); Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 1 * v), x51, finish, ref Unsafe.Add(ref gate, 5 * cStride + 1 * v));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x1<T, TVector, TSimd>(ref T c, nint cStride, ref T init, nint initStride, ref T a, nint aRow, nint aStep, ref T q, nint qStride, int depth, Finish finish, ref T gate, ref T ahead)
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
        int aheadLines = AheadLines<T, TVector>(ref ahead, 1);
        for (int s = 0; s < depth; s++)
        {
            if (s < aheadLines)
                AskForLine<T, TVector>(ref ahead, cStride, s, 1);
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
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c0, 0 * v), x00, finish, ref Unsafe.Add(ref gate, 0 * cStride + 0 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c1, 0 * v), x10, finish, ref Unsafe.Add(ref gate, 1 * cStride + 0 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c2, 0 * v), x20, finish, ref Unsafe.Add(ref gate, 2 * cStride + 0 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c3, 0 * v), x30, finish, ref Unsafe.Add(ref gate, 3 * cStride + 0 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c4, 0 * v), x40, finish, ref Unsafe.Add(ref gate, 4 * cStride + 0 * v));
        Put<T, TVector, TSimd>(ref Unsafe.Add(ref c5, 0 * v), x50, finish, ref Unsafe.Add(ref gate, 5 * cStride + 0 * v));
    }
}
