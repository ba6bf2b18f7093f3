namespace Backprop.Kernels;

/// <summary>The innermost loops: a vectorized body over <see cref="Vector{T}"/> and a scalar tail.</summary>
internal static class VectorOps
{
    // y[i] += alpha x[i], the product rounded before the sum (the optimizers' updates).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy<T>(Span<T> y, T alpha, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        AddProducts<T, RoundedTwice<T>>(y, alpha, x);

    // y[i] = alpha x[i] + y[i] with one rounding: a step of the kernels' multiply-add chains.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(Span<T> y, T alpha, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        AddProducts<T, RoundedOnce<T>>(y, alpha, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProducts<T, TRounding>(Span<T> y, T alpha, ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRounding : struct, IMultiplyAdd<T>
    {
        int i = 0;
        int width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && y.Length >= width)
        {
            var va = new Vector<T>(alpha);
            for (; i <= y.Length - width; i += width)
                TRounding.Of(va, new Vector<T>(x[i..]), new Vector<T>(y[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++)
            y[i] = TRounding.Of(alpha, x[i], y[i]);
    }

    // a b + c, in lanes and alone, rounded the same way in both.
    private interface IMultiplyAdd<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector<T> Of(Vector<T> a, Vector<T> b, Vector<T> c);

        static abstract T Of(T a, T b, T c);
    }

    private struct RoundedTwice<T> : IMultiplyAdd<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Of(Vector<T> a, Vector<T> b, Vector<T> c) => c + a * b;

        public static T Of(T a, T b, T c) => c + a * b;
    }

    private struct RoundedOnce<T> : IMultiplyAdd<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Of(Vector<T> a, Vector<T> b, Vector<T> c) => VectorMath.MultiplyAdd(a, b, c);

        public static T Of(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);
    }

    // y[i] = alpha x[i]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(Span<T> y, T alpha, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        int width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && y.Length >= width)
        {
            var va = new Vector<T>(alpha);
            for (; i <= y.Length - width; i += width)
                (va * new Vector<T>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++)
            y[i] = alpha * x[i];
    }

    // sum_i x[i], in double.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in x)
            sum += double.CreateTruncating(v);
        return sum;
    }

    // sum_i x[i]^2, in double so that float networks report an accurate norm. Runs once per training
    // step over every gradient, so it is vectorized: floats are widened to doubles lane-wise.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            var values = MemoryMarshal.Cast<T, float>(x);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
                acc0 += low * low;
                acc1 += high * high;
            }
            sum = Vector.Sum(acc0 + acc1);
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            var values = MemoryMarshal.Cast<T, double>(x);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            for (; i <= values.Length - 2 * Vector<double>.Count; i += 2 * Vector<double>.Count)
            {
                var a = new Vector<double>(values[i..]);
                var b = new Vector<double>(values[(i + Vector<double>.Count)..]);
                acc0 += a * a;
                acc1 += b * b;
            }
            sum = Vector.Sum(acc0 + acc1);
        }
        for (; i < x.Length; i++)
        {
            double d = double.CreateTruncating(x[i]);
            sum += d * d;
        }
        return sum;
    }

    // x[i] *= alpha
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale<T>(Span<T> x, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            x[i] *= alpha;
    }
}
