namespace Backprop.Activations;

/// <summary>g(z) = ln(1 + e^z), g' = sigmoid(z).</summary>
internal static class Softplus
{
    // max(z, 0) + ln(1 + e^-|z|) never overflows, unlike ln(1 + e^z) for large z.
    public static double Value(double z) => Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));

    // From z rather than the output: 1 - e^-a loses all precision where a is tiny.
    public static double Derivative(double z, double a) => 1.0 / (1.0 + Math.Exp(-z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(z, T.Zero) + T.Log(T.One + T.Exp(-T.Abs(z)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T z) where T : unmanaged, IFloatingPointIeee754<T> => delta * (T.One / (T.One + T.Exp(-z)));

    // a: [count] = ln(1 + e^z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = Of(z[i]);
    }

    // delta: [count] *= sigmoid(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], z[i]);
    }
}
