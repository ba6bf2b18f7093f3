using Backprop.Activations;
using Backprop.Kernels;
using Backprop.Numerics;
using static Backprop.Tests.Engine.KernelTests;

namespace Backprop.Tests.Inference;

// The inference kernels (weights stored turned, wt: [din, dout]) against the plain loops, and
// against the training kernels' bits: a prediction must not depend on which kernel computed it.
public class InferenceKernelTests
{
    private static readonly int[] VectorWidths = [128, 256, 512];

    public static TheoryData<int, int> LayerShapes()
    {
        var data = new TheoryData<int, int>();
        // Units 0..300 cross every vector width, every four-vector block and every tail.
        for (int dout = 0; dout <= 300; dout += dout < 70 ? 1 : 23)
            data.Add(1 + dout % 13, dout);
        data.Add(64, 64);
        data.Add(128, 128);
        data.Add(300, 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(LayerShapes))]
    public void Row_product_matches_the_reference(int din, int dout)
    {
        var rng = new Rng((ulong)(din * 1009 + dout));
        var x = Random(rng, din);
        var wt = Random(rng, din * dout);
        var b = Random(rng, dout);
        var expected = new double[dout];
        GemmReference.ForwardTurned(expected, x, wt, b, 1, din, dout);
        foreach (int bits in VectorWidths)
        {
            var z = Random(rng, dout); // stale contents must not leak into the result
            RowProduct.Forward<double>(z, x, wt, b, din, dout, bits);
            AssertClose(expected, z);
        }
    }

    [Theory]
    [MemberData(nameof(LayerShapes))]
    public void Row_product_has_the_bits_of_the_training_kernels(int din, int dout)
    {
        var rng = new Rng((ulong)(din * 31 + dout));
        var x = Random(rng, din).Select(v => (float)v).ToArray();
        var w = Random(rng, din * dout).Select(v => (float)v).ToArray();
        var b = Random(rng, dout).Select(v => (float)v).ToArray();
        var expected = new float[dout];
        Gemm.Forward<float>(expected, x, w, b, 1, din, dout, threads: 1);
        var wt = Turn(w, dout, din);
        foreach (int bits in VectorWidths)
        {
            var z = new float[dout];
            RowProduct.Forward<float>(z, x, wt, b, din, dout, bits);
            Assert.Equal(expected, z);
        }
    }

    [Theory]
    [InlineData(2, 12, 64, Activation.Tanh)]
    [InlineData(7, 64, 64, Activation.Relu)]
    [InlineData(37, 64, 1, Activation.Identity)]
    [InlineData(256, 10, 128, Activation.Sigmoid)]
    [InlineData(300, 128, 128, Activation.Gelu)]
    [InlineData(61, 33, 300, Activation.LeakyRelu)] // wt's rows too far apart to read in place: packed
    [InlineData(1000, 64, 70, Activation.Tanh)] // on two threads, with a partial panel
    public void Turned_forward_has_the_bits_of_the_forward_product(int n, int din, int dout, Activation activation)
    {
        foreach (bool single in new[] { true, false })
        {
            var rng = new Rng((ulong)(n + din + dout));
            var x = Random(rng, n * din);
            var w = Random(rng, din * dout);
            var b = Random(rng, dout);
            if (single)
                AssertTurnedMatches(x.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), n, din, dout, activation);
            else
                AssertTurnedMatches(x, w, b, n, din, dout, activation);
        }
    }

    [Fact]
    public void Turned_forward_matches_the_reference()
    {
        var rng = new Rng(5);
        int n = 45, din = 19, dout = 77;
        var x = Random(rng, n * din);
        var wt = Random(rng, din * dout);
        var b = Random(rng, dout);
        var expected = new double[n * dout];
        GemmReference.ForwardTurned(expected, x, wt, b, n, din, dout);
        foreach (int bits in VectorWidths)
        {
            var z = new double[n * dout];
            Gemm.ForwardTurned<double>(z, x, wt, b, n, din, dout, threads: 2, vectorBits: bits);
            AssertClose(expected, z);
        }
    }

    private static void AssertTurnedMatches<T>(T[] x, T[] w, T[] b, int n, int din, int dout, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = new T[n * dout];
        var a = new T[n * dout];
        Gemm.Forward<T>(z, x, w, b, n, din, dout, threads: 2, activation: activation, a: a);
        var wt = Turn(w, dout, din);
        foreach (int threads in new[] { 1, 2 })
        {
            var turned = new T[n * dout];
            Gemm.ForwardTurned<T>(turned, x, wt, b, n, din, dout, threads, activation: activation, a: turned);
            Assert.Equal(activation == Activation.Identity ? z : a, turned);
        }
    }

    // [rows, columns] -> [columns, rows]
    private static T[] Turn<T>(T[] m, int rows, int columns)
    {
        var t = new T[m.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                t[c * rows + r] = m[r * columns + c];
        }
        return t;
    }
}
