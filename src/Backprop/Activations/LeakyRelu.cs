namespace Backprop.Activations;

/// <summary>g(z) = z for z &gt; 0, else 0.01 z; g' = 1 or 0.01.</summary>
internal static class LeakyRelu
{
    /// <summary>The slope for negative inputs (the common default of PyTorch and ONNX).</summary>
    public const double Slope = 0.01;

    public static double Value(double z) => z > 0 ? z : Slope * z;

    // The output has the sign of z, so the derivative can be read from either.
    public static double Derivative(double z, double a) => z > 0 ? 1.0 : Slope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? z : T.CreateTruncating(Slope) * z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T z) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? delta : delta * T.CreateTruncating(Slope);

    // a: [count] = z or 0.01 z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = Of(z[i]);
    }

    // delta: [count] *= 1 or 0.01
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], z[i]);
    }
}
