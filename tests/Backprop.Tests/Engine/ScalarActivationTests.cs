using Backprop.Activations;
using Backprop.Numerics;
using Backprop.Optimizers;

namespace Backprop.Tests.Engine;

// The fused loops take each activation's value and slope one value at a time, and the optimizer's
// update one parameter at a time; the span functions the reference path calls must give every
// value the same bits, in their vector bodies and their scalar tails alike.
public class ScalarActivationTests
{
    [Theory]
    [MemberData(nameof(FastPathTests.Activations), MemberType = typeof(FastPathTests))]
    public void Span_and_scalar_activations_agree_bit_for_bit(Activation activation)
    {
        SameBits<float>(activation);
        SameBits<double>(activation);
    }

    [Fact]
    public void The_plain_update_of_one_parameter_is_the_optimizers_step()
    {
        var rng = new Rng(3);
        const int Count = 37; // vector body and tail
        var p = Enumerable.Range(0, Count).Select(_ => (float)rng.NextDouble(-3, 3)).ToArray();
        var g = Enumerable.Range(0, Count).Select(_ => (float)rng.NextDouble(-3, 3)).ToArray();
        const double Rate = 0.0371;
        var expected = p.Select((v, i) => GradientDescent<float>.PlainUpdate(v, g[i], GradientDescent<float>.PlainFactor(Rate))).ToArray();
        new GradientDescent<float>(Count).Step(p, g, Rate);
        Assert.Equal(Bits(expected), Bits(p));
    }

    private static void SameBits<T>(Activation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(17);
        double[] special = [0.0, -0.0, 1e-30, -1e-30, 1e-8, 30, -30, 100, -100, 1e5, -1e5];
        var z = special.Concat(Enumerable.Range(0, 60).Select(_ => rng.NextDouble(-6, 6))).Select(T.CreateTruncating).ToArray();
        var delta = z.Select(_ => T.CreateTruncating(rng.NextDouble(-2, 2))).ToArray();
        var (of, timesSlope) = Scalar<T>(activation);

        var a = new T[z.Length];
        ActivationFunctions.Forward<T>(activation, a, z);
        Assert.Equal(Bits(z.Select(of).ToArray()), Bits(a));

        var expected = z.Select((v, i) => timesSlope(delta[i], v, a[i])).ToArray();
        ActivationFunctions.Backward<T>(activation, delta, z, a);
        Assert.Equal(Bits(expected), Bits(delta));
    }

    // Each activation's scalar value and slope; for those whose slope comes from the output, through
    // the dispatch the fused loops call, which must agree with the files' own.
    private static (Func<T, T> Of, Func<T, T, T, T> TimesSlope) Scalar<T>(Activation activation) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.LeakyRelu => (LeakyRelu.Of, (d, z, a) => LeakyRelu.TimesSlope(d, z)),
        Activation.Softplus => (Softplus.Of, (d, z, a) => Softplus.TimesSlope(d, z)),
        Activation.Gelu => (Gelu.Of, (d, z, a) => Gelu.TimesSlope(d, z)),
        _ => (z => activation.Of(z), (d, z, a) => activation.TimesSlope(d, a)),
    };

    [Fact]
    public void The_scalar_dispatch_refuses_activations_whose_slope_needs_z()
    {
        foreach (var activation in Enum.GetValues<Activation>().Where(a => a.SlopeNeedsZ()))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => activation.Of(1.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => activation.TimesSlope(1.0, 0.5));
        }
    }

    private static ulong[] Bits<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        values.Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateTruncating(v)) : BitConverter.DoubleToUInt64Bits(double.CreateTruncating(v))).ToArray();
}
