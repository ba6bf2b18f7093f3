namespace Backprop.Activations;

/// <summary>g(z) = z, g'(z) = 1.</summary>
internal static class Identity
{
    public static double Value(double z) => z;

    public static double Derivative(double z, double a) => 1.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T a) where T : unmanaged, IFloatingPointIeee754<T> => delta;

    // a: [count] = z (a copy, so layers can treat every activation alike)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(z)))
            z.CopyTo(a);
    }

    // delta is already dL/dz: nothing to multiply.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }
}
