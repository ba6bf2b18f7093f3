namespace Backprop.Kernels;

/// <summary>
/// Elementwise functions on whole vectors, float and double, accurate to a few ulps: so far tanh,
/// through e^x - 1. Spans are processed a vector at a time and each value of the tail goes through
/// the same vector code, broadcast, so a value's bits depend on the value alone, never on where it
/// falls in the span: a row gets the same activations alone or in a batch.
/// </summary>
internal static class VectorMath
{
    private const double Ln2 = 0.6931471805599453;

    // a[i] = tanh(z[i])
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh<T>(Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, width = Vector<T>.Count;
        for (; i <= z.Length - width; i += width)
            Tanh(new Vector<T>(z[i..])).CopyTo(a[i..]);
        for (; i < z.Length; i++)
            a[i] = Tanh(z[i]);
    }

    // tanh of one value, through the vector code so that it has the same bits as in a span.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => Tanh(new Vector<T>(z))[0];

    // tanh |z| = u / (u + 2) with u = e^(2|z|) - 1, which keeps full relative accuracy near 0 where
    // 1 - 2 / (e^(2|z|) + 1) would cancel; the sign is put back after.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Tanh<T>(Vector<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sign = new Vector<T>(T.NegativeZero);
        var x = Vector.AndNot(z, sign);
        // Past the clamp tanh rounds to 1 in either precision, and e^x still fits.
        var scale = Reduce(Vector.MinNative(x + x, new Vector<T>(T.CreateTruncating(typeof(T) == typeof(float) ? 80.0 : 700.0))), out var p);
        var u = MultiplyAdd(scale, p, scale - Vector<T>.One);
        var t = u / (u + new Vector<T>(T.CreateTruncating(2.0))) | (z & sign);
        return Vector.ConditionalSelect(Vector.Equals(z, z), t, z); // NaN stays NaN, for divergence checks
    }

    // a * b + c with one rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Unsafe.BitCast<Vector<float>, Vector<T>>(Vector.FusedMultiplyAdd(Unsafe.BitCast<Vector<T>, Vector<float>>(a), Unsafe.BitCast<Vector<T>, Vector<float>>(b), Unsafe.BitCast<Vector<T>, Vector<float>>(c)));
        return Unsafe.BitCast<Vector<double>, Vector<T>>(Vector.FusedMultiplyAdd(Unsafe.BitCast<Vector<T>, Vector<double>>(a), Unsafe.BitCast<Vector<T>, Vector<double>>(b), Unsafe.BitCast<Vector<T>, Vector<double>>(c)));
    }

    // e^x = 2^n (1 + p): returns 2^n and p = e^r - 1, where x = n ln2 + r and |r| <= ln2 / 2.
    // Needs 2^n normal: 0 <= x <= 88 for float, 0 <= x <= 709 for double. p is a Taylor
    // polynomial whose truncation error (r^8/8! for float, r^14/14! for double) is under half an ulp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Reduce<T>(Vector<T> x, out Vector<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var xf = Unsafe.BitCast<Vector<T>, Vector<float>>(x);
            var n = Vector.Round(xf * new Vector<float>((float)(1 / Ln2)));
            var r = Vector.FusedMultiplyAdd(-n, new Vector<float>(LnTwoFloat.High), xf);
            r = Vector.FusedMultiplyAdd(-n, new Vector<float>(LnTwoFloat.Low), r);
            // Estrin's scheme: three short chains instead of one long one, since a one-unit layer
            // trained online waits on this latency every step.
            var r2 = r * r;
            var low = Vector.FusedMultiplyAdd(new Vector<float>(1f / 6), r, new Vector<float>(0.5f));
            var mid = Vector.FusedMultiplyAdd(new Vector<float>(1f / 120), r, new Vector<float>(1f / 24));
            var high = Vector.FusedMultiplyAdd(new Vector<float>(1f / 5040), r, new Vector<float>(1f / 720));
            var q = Vector.FusedMultiplyAdd(r2 * r2, high, Vector.FusedMultiplyAdd(r2, mid, low));
            p = Unsafe.BitCast<Vector<float>, Vector<T>>(Vector.FusedMultiplyAdd(q, r2, r));
            var bits = Vector.ShiftLeft(Vector.ConvertToInt32Native(n) + new Vector<int>(127), 23);
            return Unsafe.BitCast<Vector<int>, Vector<T>>(bits);
        }
        else
        {
            var xd = Unsafe.BitCast<Vector<T>, Vector<double>>(x);
            var n = Vector.Round(xd * new Vector<double>(1 / Ln2));
            var r = Vector.FusedMultiplyAdd(-n, new Vector<double>(Ln2), xd);
            r = Vector.FusedMultiplyAdd(-n, new Vector<double>(LnTwoDoubleLow), r);
            var q = new Vector<double>(1.0 / 6227020800);
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 479001600));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 39916800));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 3628800));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 362880));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 40320));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 5040));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 720));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 120));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 24));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 6));
            q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(0.5));
            q = Vector.FusedMultiplyAdd(q, r * r, r);
            p = Unsafe.BitCast<Vector<double>, Vector<T>>(q);
            var bits = Vector.ShiftLeft(Vector.ConvertToInt64Native(n) + new Vector<long>(1023), 52);
            return Unsafe.BitCast<Vector<long>, Vector<T>>(bits);
        }
    }

    // ln 2 split so that n * High is exact for the n that occur and High + Low is ln 2 to 2 x 24 bits.
    private static class LnTwoFloat
    {
        public const float High = 0.693145751953125f;
        public const float Low = 1.428606765330187e-06f;
    }

    // ln 2 - (double)ln 2: the part of ln 2 a double misses.
    private const double LnTwoDoubleLow = 2.3190468138462996e-17;
}
