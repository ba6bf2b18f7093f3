namespace Backprop.Activations;

/// <summary>g(z) = z for z &gt; 0, else 0.01 z; g' = 1 or 0.01.</summary>
internal static class LeakyRelu
{
    /// <summary>The slope for negative inputs (the common default of PyTorch and ONNX).</summary>
    public const double Slope = 0.01;

    public static double Value(double z) => z > 0 ? z : Slope * z;

    // The output has the sign of z, so the derivative can be read from either.
    public static double Derivative(double z, double a) => z > 0 ? 1.0 : Slope;

    // a: [count] = z or 0.01 z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateTruncating(Slope);
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] > T.Zero ? z[i] : slope * z[i];
    }

    // delta: [count] *= 1 or 0.01
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateTruncating(Slope);
        for (int i = 0; i < delta.Length; i++)
        {
            if (!(z[i] > T.Zero))
                delta[i] *= slope;
        }
    }
}
