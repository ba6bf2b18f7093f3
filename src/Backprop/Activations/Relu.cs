namespace Backprop.Activations;

/// <summary>g(z) = max(0, z), g' = 1 where the output is positive, else 0.</summary>
internal static class Relu
{
    public static double Value(double z) => z > 0 ? z : 0.0;

    public static double Derivative(double z, double a) => a > 0 ? 1.0 : 0.0;

    // One value, as the scalar tail computes it (the vector body's max agrees, zeros and NaN included).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? z : T.Zero;

    // delta where the unit was on, else 0: a select, not a product, as in the vector body (a
    // product would turn an infinite delta times 0 into NaN).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T a) where T : unmanaged, IFloatingPointIeee754<T> => a > T.Zero ? delta : T.Zero;

    // a: [count] = max(0, z); a vector body and a scalar tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= z.Length - width; i += width)
                Vector.Max(new Vector<T>(z[i..]), Vector<T>.Zero).CopyTo(a[i..]);
        }
        for (; i < z.Length; i++)
            a[i] = Of(z[i]);
    }

    // delta: [count] zeroed where the unit was off; a select, not a branch, in the vector body.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= delta.Length - width; i += width)
            {
                var on = Vector.GreaterThan(new Vector<T>(a[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(on, new Vector<T>(delta[i..]), Vector<T>.Zero).CopyTo(delta[i..]);
            }
        }
        for (; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], a[i]);
    }
}
