using Backprop.Kernels;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// The vectorized tanh against plain scalar references, in ulps, and the promise that a
// value's result does not depend on where it sits in the span.
public class VectorMathTests
{
    // Spread over every scale that matters: tiny, around 1, and far into saturation.
    private static double[] Arguments(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var z = new double[count];
        for (int i = 0; i < count; i++)
            z[i] = rng.NextDouble(-1, 1) * Math.Pow(10, rng.NextDouble(-8, 2.5));
        return z;
    }

    private static long Ulps(float expected, float actual) => Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));

    private static long Ulps(double expected, double actual) => Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));

    [Fact]
    public void Float_results_are_within_two_ulps_of_the_rounded_double_reference()
    {
        var z = Array.ConvertAll(Arguments(200_000, 1), v => (float)v);
        var tanh = new float[z.Length];
        VectorMath.Tanh<float>(tanh, z);
        for (int i = 0; i < z.Length; i++)
            Assert.True(Ulps((float)Math.Tanh(z[i]), tanh[i]) <= 2, $"tanh({z[i]:R}) = {tanh[i]:R}, expected {(float)Math.Tanh(z[i]):R}");
    }

    [Fact]
    public void Double_results_are_within_a_few_ulps_of_the_scalar_function()
    {
        var z = Arguments(200_000, 2);
        var tanh = new double[z.Length];
        VectorMath.Tanh<double>(tanh, z);
        for (int i = 0; i < z.Length; i++)
            Assert.True(Ulps(Math.Tanh(z[i]), tanh[i]) <= 3, $"tanh({z[i]:R}) = {tanh[i]:R}, expected {Math.Tanh(z[i]):R}");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(0f)]
    [InlineData(1e-30f)]
    [InlineData(1e30f)]
    [InlineData(-1e30f)]
    [InlineData(float.Epsilon)]
    public void Special_values_behave_like_the_scalar_function(float z)
    {
        var t = new float[1];
        VectorMath.Tanh<float>(t, [z]);
        Assert.Equal(MathF.Tanh(z), t[0]);
        var d = new double[1];
        VectorMath.Tanh<double>(d, [z]);
        Assert.Equal(Math.Tanh(z), d[0]);
    }

    [Fact]
    public void A_value_gets_the_same_bits_wherever_it_falls_in_the_span()
    {
        var z = Arguments(200, 3);
        var zf = Array.ConvertAll(z, v => (float)v);
        var wholeD = new double[z.Length];
        var wholeF = new float[z.Length];
        VectorMath.Tanh<double>(wholeD, z);
        VectorMath.Tanh<float>(wholeF, zf);
        for (int length = 1; length <= 70; length++)
        {
            foreach (int start in new[] { 0, 1, 3, 7, 61 })
            {
                var d = new double[length];
                var f = new float[length];
                VectorMath.Tanh<double>(d, z.AsSpan(start, length));
                VectorMath.Tanh<float>(f, zf.AsSpan(start, length));
                Assert.Equal(wholeD.AsSpan(start, length).ToArray(), d);
                Assert.Equal(wholeF.AsSpan(start, length).ToArray(), f);
            }
        }
    }
}
