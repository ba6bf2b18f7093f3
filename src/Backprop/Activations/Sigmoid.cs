namespace Backprop.Activations;

/// <summary>g(z) = 1 / (1 + e^-z), g' = a (1 - a): the seed's hidden activation.</summary>
internal static class Sigmoid
{
    public static double Value(double z) => 1.0 / (1.0 + Math.Exp(-z));

    // From the output, as the seed derives it: da/dz = a (1 - a).
    public static double Derivative(double z, double a) => a * (1.0 - a);

    // One value, as every path computes it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

    // delta a (1 - a) for one value: the vector body's arithmetic, lane for lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T a) where T : unmanaged, IFloatingPointIeee754<T> => delta * (a * (T.One - a));

    // a: [count] = sigmoid(z). Scalar on purpose: its use is the seed's tiny networks trained
    // online, which wait on one value's latency each step, and the library exp has less of it than
    // a vector polynomial (that measured 8% slower on W1); batched rows would need the same
    // arithmetic to keep a row's bits independent of its batch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
            a[i] = Of(z[i]);
    }

    // delta: [count] *= a (1 - a)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= delta.Length - width; i += width)
            {
                var ai = new Vector<T>(a[i..]);
                (new Vector<T>(delta[i..]) * (ai * (Vector<T>.One - ai))).CopyTo(delta[i..]);
            }
        }
        for (; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], a[i]);
    }
}
