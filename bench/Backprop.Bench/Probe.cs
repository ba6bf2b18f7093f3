using System.Diagnostics;
using Backprop.Kernels;
namespace Backprop.Bench;

internal static class Probe
{
    public static void Run(int threads, string only = "", double scale = 1)
    {
        var rng = new Random(1);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1); return a; }
        void T(string name, int n, int din, int dout, int kind)
        {
            if (only != "" && name != only) return;
            var x = R(n * Math.Max(din, dout)); var w = R(dout * din); var b = R(dout); var z = new float[n * Math.Max(din, dout)]; var d = R(n * dout); var dw = new float[dout * din]; var db = new float[dout];
            var times = new List<double>(); int iters = Math.Max(5, (int)(scale * 2e8 / (2.0 * n * din * dout)));
            for (int rep = 0; rep < 7; rep++)
            {
                var sw = Stopwatch.StartNew();
                for (int it = 0; it < iters; it++)
                {
                    if (kind == 0) Gemm.Forward<float>(z, x, w, b, n, din, dout, threads);
                    else if (kind == 1) Gemm.AccumulateWeightGradient<float>(dw, db, d, x, n, din, dout, threads);
                    else Gemm.InputGradient<float>(z, d, w, n, din, dout, threads);
                }
                times.Add(sw.Elapsed.TotalSeconds / iters);
            }
            times.Sort();
            double t = times[3];
            Console.WriteLine($"{name,-10} n={n} din={din} dout={dout}: {t * 1e3:F3} ms  {2.0 * n * din * dout / t / 1e9:F1} GFLOP/s");
        }
        T("l1dX", 96, 64, 128, 2); T("l1dX960", 960, 64, 128, 2); T("l1dX96w", 96, 1024, 128, 2); T("l1dX96d", 96, 64, 1024, 2); T("l2dX", 480, 256, 256, 2);
        T("fwd1", 512, 512, 1024, 0); T("fwd2", 512, 1024, 1024, 0); T("dW2", 512, 1024, 1024, 1); T("dX2", 512, 1024, 1024, 2); T("dW1", 512, 512, 1024, 1);
        T("w3fwd2", 256, 128, 128, 0); T("w3dW2", 256, 128, 128, 1); T("w3dX2", 256, 128, 128, 2); T("w3fwd1", 256, 10, 128, 0); T("w3dW1", 256, 10, 128, 1);
    }
}
