namespace Backprop.Kernels;

/// <summary>Plain scalar loops, the definition that <see cref="Gemm"/> is tested against.</summary>
internal static class GemmReference
{
    public static void Forward(Span<double> z, ReadOnlySpan<double> x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, int n, int din, int dout)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dout; j++)
            {
                double sum = b[j];
                for (int k = 0; k < din; k++)
                    sum += x[i * din + k] * w[j * din + k];
                z[i * dout + j] = sum;
            }
        }
    }

    // z: [n, dout] = x: [n, din] . wt: [din, dout] + b, the weights stored turned.
    public static void ForwardTurned(Span<double> z, ReadOnlySpan<double> x, ReadOnlySpan<double> wt, ReadOnlySpan<double> b, int n, int din, int dout)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dout; j++)
            {
                double sum = b[j];
                for (int k = 0; k < din; k++)
                    sum += x[i * din + k] * wt[k * dout + j];
                z[i * dout + j] = sum;
            }
        }
    }

    public static void WeightGradient(Span<double> dw, Span<double> db, ReadOnlySpan<double> d, ReadOnlySpan<double> a, int n, int din, int dout)
    {
        dw[..(dout * din)].Clear();
        db[..dout].Clear();
        for (int j = 0; j < dout; j++)
        {
            for (int i = 0; i < n; i++)
            {
                db[j] += d[i * dout + j];
                for (int k = 0; k < din; k++)
                    dw[j * din + k] += d[i * dout + j] * a[i * din + k];
            }
        }
    }

    public static void InputGradient(Span<double> da, ReadOnlySpan<double> d, ReadOnlySpan<double> w, int n, int din, int dout)
    {
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < din; k++)
            {
                double sum = 0;
                for (int j = 0; j < dout; j++)
                    sum += d[i * dout + j] * w[j * din + k];
                da[i * din + k] = sum;
            }
        }
    }
}
