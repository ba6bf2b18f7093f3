using Backprop.Activations;
using Backprop.Losses;
using Backprop.Optimizers;

namespace Backprop.Tests.Engine;

// The seed's closed forms for the 1-1-1 network, checked against backpropagation symbol for symbol.
public class SeedDerivationTests
{
    public static TheoryData<Activation, double, double, double, double, double, double> Points()
    {
        var data = new TheoryData<Activation, double, double, double, double, double, double>();
        foreach (var g in new[] { Activation.Sigmoid, Activation.Tanh })
        {
            data.Add(g, 0.5, 0.0, 0.5, 0.0, -2.925086, -0.249601);
            data.Add(g, 1.3, -0.4, -0.7, 0.2, 0.8, 1.5);
            data.Add(g, -2.0, 0.9, 1.7, -1.1, 3.1, -0.3);
            data.Add(g, 0.05, 0.01, 2.5, 0.4, -0.6, 0.0);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Backprop_equals_the_seeds_closed_forms(Activation g, double w1, double b1, double w2, double b2, double x, double y)
    {
        var network = SeedNetwork.Create<double>(g, w1, b1, w2, b2);
        var pass = network.CreatePass(1);
        pass.Forward(new[] { x }, 1);
        pass.Backward(new[] { y }, LossFunction.SquaredError);

        double z1 = w1 * x + b1;
        double a1 = g == Activation.Sigmoid ? 1 / (1 + Math.Exp(-z1)) : Math.Tanh(z1);
        double gPrime = g == Activation.Sigmoid ? a1 * (1 - a1) : 1 - a1 * a1;
        double a2 = w2 * a1 + b2;

        var grad = pass.Gradients;
        Assert.Equal((a2 - y) * w2 * gPrime * x, grad[0], 1e-12); // dL/dw1
        Assert.Equal((a2 - y) * w2 * gPrime, grad[1], 1e-12);     // dL/db1
        Assert.Equal((a2 - y) * a1, grad[2], 1e-12);              // dL/dw2
        Assert.Equal(a2 - y, grad[3], 1e-12);                     // dL/db2
        Assert.Equal(z1, pass.PreActivations(0)[0], 1e-15);
        Assert.Equal(a1, pass.Activations(0)[0], 1e-15);
    }

    [Fact]
    public void One_gradient_descent_step_matches_the_hand_computation()
    {
        double w1 = 0.5, b1 = 0.0, w2 = 0.5, b2 = 0.0, x = -2.925086, y = -0.249601, eta = 0.05;
        var network = SeedNetwork.Create<double>(Activation.Sigmoid, w1, b1, w2, b2);
        var pass = network.CreatePass(1);
        pass.Forward(new[] { x }, 1);
        pass.Backward(new[] { y }, LossFunction.SquaredError);
        new GradientDescent<double>(4).Step(network.Parameters, pass.Gradients, eta);

        // By hand: z1 = -1.462543, a1 = 0.1880787, a2 = 0.0940393, e = a2 - y = 0.3436403.
        double a1 = 1 / (1 + Math.Exp(-(w1 * x + b1)));
        double e = w2 * a1 + b2 - y;
        double[] expected =
        [
            w1 - eta * e * w2 * a1 * (1 - a1) * x,
            b1 - eta * e * w2 * a1 * (1 - a1),
            w2 - eta * e * a1,
            b2 - eta * e,
        ];
        for (int i = 0; i < 4; i++)
            Assert.Equal(expected[i], network.Parameters[i], 1e-15);
        // A number written out once, so a change in both code and formula would still be caught.
        Assert.Equal(0.3436403, e, 1e-6);
    }
}
