using Backprop.Kernels;

namespace Backprop.Activations;

/// <summary>g(z) = tanh z, g' = 1 - a^2: the seed's other hidden activation.</summary>
internal static class Tanh
{
    public static double Value(double z) => Math.Tanh(z);

    // From the output, as the seed derives it: da/dz = 1 - a^2.
    public static double Derivative(double z, double a) => 1.0 - a * a;

    // One value, through the vector code so that it has the same bits as in a span.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Tanh(z);

    // delta (1 - a^2) for one value: the vector body's arithmetic, lane for lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSlope<T>(T delta, T a) where T : unmanaged, IFloatingPointIeee754<T> => delta * (T.One - a * a);

    // a: [count] = tanh(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        VectorMath.Tanh(a, z);
    }

    // delta: [count] *= 1 - a^2
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= delta.Length - width; i += width)
            {
                var ai = new Vector<T>(a[i..]);
                (new Vector<T>(delta[i..]) * (Vector<T>.One - ai * ai)).CopyTo(delta[i..]);
            }
        }
        for (; i < delta.Length; i++)
            delta[i] = TimesSlope(delta[i], a[i]);
    }
}
