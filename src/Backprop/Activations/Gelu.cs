namespace Backprop.Activations;

/// <summary>
/// GELU in its tanh form: g(z) = z/2 (1 + t) with t = tanh(c (z + k z^3)), c = sqrt(2/pi), k = 0.044715.
/// </summary>
internal static class Gelu
{
    public const double C = 0.7978845608028654;
    public const double K = 0.044715;

    public static double Value(double z) => 0.5 * z * (1.0 + Math.Tanh(C * (z + K * z * z * z)));

    // g' = (1 + t)/2 + z/2 (1 - t^2) c (1 + 3k z^2); needs z, the output alone does not determine it.
    public static double Derivative(double z, double a)
    {
        double t = Math.Tanh(C * (z + K * z * z * z));
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * C * (1.0 + 3.0 * K * z * z);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(C), k = T.CreateTruncating(K), half = T.CreateTruncating(0.5);
        return half * z * (T.One + T.Tanh(c * (z + k * z * z * z)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(C), k = T.CreateTruncating(K), half = T.CreateTruncating(0.5), three = T.CreateTruncating(3.0);
        T t = T.Tanh(c * (z + k * z * z * z));
        return delta * (half * (T.One + t) + half * z * (T.One - t * t) * c * (T.One + three * k * z * z));
    }

    // a: [count] = gelu(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = Of(z[i]);
    }

    // delta: [count] *= g'(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], z[i]);
    }
}
