namespace Backprop.Kernels;

// Fused multiply-add, a * b + c with one rounding, for vectors and scalars alike: a vector lane and
// the scalar tail then give the same bits, so results never depend on where a tile boundary falls.
internal static class Fma
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Of<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Unsafe.BitCast<Vector<float>, Vector<T>>(Vector.FusedMultiplyAdd(Unsafe.BitCast<Vector<T>, Vector<float>>(a), Unsafe.BitCast<Vector<T>, Vector<float>>(b), Unsafe.BitCast<Vector<T>, Vector<float>>(c)));
        return Unsafe.BitCast<Vector<double>, Vector<T>>(Vector.FusedMultiplyAdd(Unsafe.BitCast<Vector<T>, Vector<double>>(a), Unsafe.BitCast<Vector<T>, Vector<double>>(b), Unsafe.BitCast<Vector<T>, Vector<double>>(c)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T> => T.FusedMultiplyAdd(a, b, c);
}
