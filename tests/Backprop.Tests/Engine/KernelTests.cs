using Backprop.Kernels;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// Each fast kernel against its plain scalar reference, across vector widths and tails.
public class KernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        for (int s = 1; s <= 70; s++)
        {
            data.Add(s, 3, 5);
            data.Add(2, s, 7);
            data.Add(3, 9, s);
        }
        data.Add(256, 10, 128);
        data.Add(64, 128, 128);
        data.Add(600, 600, 3); // large enough to run on two threads
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_matches_the_reference(int n, int din, int dout)
    {
        var rng = new Rng((ulong)(n * 10007 + din * 101 + dout));
        var x = Random(rng, n * din);
        var w = Random(rng, dout * din);
        var b = Random(rng, dout);
        var d = Random(rng, n * dout);
        foreach (int threads in new[] { 1, 2 })
        {
            var z = new double[n * dout];
            var zRef = new double[n * dout];
            Gemm.Forward<double>(z, x, w, b, n, din, dout, threads);
            GemmReference.Forward(zRef, x, w, b, n, din, dout);
            AssertClose(zRef, z);

            var dw = Random(rng, dout * din);
            var db = Random(rng, dout);
            var dwRef = dw.ToArray();
            var dbRef = db.ToArray();
            Gemm.AccumulateWeightGradient<double>(dw, db, d, x, n, din, dout, threads);
            GemmReference.AccumulateWeightGradient(dwRef, dbRef, d, x, n, din, dout);
            AssertClose(dwRef, dw);
            AssertClose(dbRef, db);

            var dx = Random(rng, n * din);
            var dxRef = new double[n * din];
            Gemm.InputGradient<double>(dx, d, w, n, din, dout, threads);
            GemmReference.InputGradient(dxRef, d, w, n, din, dout);
            AssertClose(dxRef, dx);
        }
    }

    [Theory]
    [InlineData(Backprop.Activations.Activation.Tanh)]
    [InlineData(Backprop.Activations.Activation.Gelu)]
    [InlineData(Backprop.Activations.Activation.Relu)]
    public void The_one_row_path_equals_the_batched_path(Backprop.Activations.Activation activation)
    {
        // One row takes the span-only path; the same row twice takes the batched kernels and has
        // the same mean gradient.
        var network = Backprop.Networks.Network<double>.Create(7, [9, 5], activation, 3);
        network.Initialize(new Rng(4));
        var rng = new Rng(8);
        var x = Random(rng, 7);
        var y = Random(rng, 3);
        var pass = network.CreatePass(2);
        pass.ComputeInputGradients = true;
        var single = pass.Forward(x, 1).ToArray();
        pass.Backward(y, Backprop.Losses.LossFunction.SquaredError);
        var gradient = pass.Gradients.ToArray();
        var inputGradient = pass.InputGradients.ToArray();
        var twice = pass.Forward(x.Concat(x).ToArray(), 2).ToArray();
        pass.Backward(y.Concat(y).ToArray(), Backprop.Losses.LossFunction.SquaredError);
        AssertClose(single, twice[..3]);
        AssertClose(gradient, pass.Gradients);
        AssertClose(inputGradient.Select(v => v / 2).ToArray(), pass.InputGradients[..7].ToArray());
    }

    [Fact]
    public void Float_gemm_matches_the_double_reference_to_float_rounding()
    {
        var rng = new Rng(9);
        const int n = 33, din = 47, dout = 29;
        var x = Random(rng, n * din);
        var w = Random(rng, dout * din);
        var b = Random(rng, dout);
        var z = new float[n * dout];
        Gemm.Forward<float>(z, Array.ConvertAll(x, v => (float)v), Array.ConvertAll(w, v => (float)v), Array.ConvertAll(b, v => (float)v), n, din, dout, 1);
        var zRef = new double[n * dout];
        GemmReference.Forward(zRef, x, w, b, n, din, dout);
        for (int i = 0; i < z.Length; i++)
            Assert.Equal(zRef[i], z[i], 1e-4);
    }

    [Fact]
    public void Vector_ops_match_plain_loops_for_every_length()
    {
        var rng = new Rng(11);
        for (int n = 0; n <= 300; n++)
        {
            var a = Random(rng, n);
            var b = Random(rng, n);
            double dot = 0, sum = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                dot += a[i] * b[i];
                sum += a[i];
                squares += a[i] * a[i];
            }
            Assert.Equal(dot, VectorOps.Dot<double>(a, b), 1e-12);
            Assert.Equal(sum, VectorOps.Sum<double>(a), 1e-12);
            Assert.Equal(squares, VectorOps.SumOfSquares<double>(a), 1e-12);
            var y = b.ToArray();
            VectorOps.Axpy<double>(y, 0.37, a);
            for (int i = 0; i < n; i++)
                Assert.Equal(b[i] + 0.37 * a[i], y[i], 1e-15);
        }
    }

    private static double[] Random(Rng rng, int count) => Enumerable.Range(0, count).Select(_ => rng.NextDouble(-1, 1)).ToArray();

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"index {i}: expected {expected[i]}, got {actual[i]}");
    }
}
