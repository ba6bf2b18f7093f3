using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// One vector width's loads, stores, broadcasts and fused multiply-adds, so that a kernel is written
/// once and instantiated per width: the JIT specializes a generic method for each struct that
/// implements this, and inlines these calls away.
/// </summary>
internal interface ISimd<T, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Load(ref readonly T source);

    static abstract void Store(ref T destination, TVector value);

    static abstract TVector Broadcast(T value);

    // a * b + c with one rounding: a lane gives the same bits as the scalar T.FusedMultiplyAdd.
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    // max(value, 0), lane by lane, as the relu's own vector body computes it.
    static abstract TVector Relu(TVector value);

    // value where gate > 0, else 0: the relu's derivative as its own vector body applies it.
    static abstract TVector Gate(TVector value, TVector gate);
}

internal readonly struct Simd512<T> : ISimd<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref readonly T source) => Vector512.LoadUnsafe(in source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref T destination, Vector512<T> value) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Relu(Vector512<T> value) => Vector512.Max(value, Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Gate(Vector512<T> value, Vector512<T> gate) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(gate, Vector512<T>.Zero), value, Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}

internal readonly struct Simd256<T> : ISimd<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref readonly T source) => Vector256.LoadUnsafe(in source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref T destination, Vector256<T> value) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Relu(Vector256<T> value) => Vector256.Max(value, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Gate(Vector256<T> value, Vector256<T> gate) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(gate, Vector256<T>.Zero), value, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}

internal readonly struct Simd128<T> : ISimd<T, Vector128<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref readonly T source) => Vector128.LoadUnsafe(in source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref T destination, Vector128<T> value) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Relu(Vector128<T> value) => Vector128.Max(value, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Gate(Vector128<T> value, Vector128<T> gate) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(gate, Vector128<T>.Zero), value, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
