namespace Backprop.Kernels;

/// <summary>The innermost loops: a vectorized body over <see cref="Vector{T}"/> and a scalar tail.</summary>
internal static class VectorOps
{
    // y[i] += alpha x[i]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy<T>(Span<T> y, T alpha, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        int width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && y.Length >= width)
        {
            var va = new Vector<T>(alpha);
            for (; i <= y.Length - width; i += width)
                (new Vector<T>(y[i..]) + va * new Vector<T>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++)
            y[i] += alpha * x[i];
    }

    // y[i] = alpha x[i] + y[i] with one rounding: a step of the kernels' multiply-add chains.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(Span<T> y, T alpha, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        int width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && y.Length >= width)
        {
            var va = new Vector<T>(alpha);
            for (; i <= y.Length - width; i += width)
                VectorMath.MultiplyAdd(va, new Vector<T>(x[i..]), new Vector<T>(y[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++)
            y[i] = T.FusedMultiplyAdd(alpha, x[i], y[i]);
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
