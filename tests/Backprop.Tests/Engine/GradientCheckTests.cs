using Backprop.Activations;
using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// Finite differences against backpropagation, in double, for every piece and for the whole (loss, gradient) pair.
public class GradientCheckTests
{
    private const double Threshold = 1e-6;

    public static TheoryData<Activation, LossKind> ActivationsAndLosses()
    {
        var data = new TheoryData<Activation, LossKind>();
        foreach (var a in Enum.GetValues<Activation>())
        {
            foreach (var l in Enum.GetValues<LossKind>())
                data.Add(a, l);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndLosses))]
    public void Whole_objective_matches_finite_differences(Activation activation, LossKind lossKind)
    {
        // Every depth x output count x L2 x sample weights for this activation and loss.
        var rng = new Rng(17);
        foreach (int depth in new[] { 1, 2, 3 })
        {
            foreach (int outputs in new[] { 1, 2, 3 })
            {
                foreach (double l2 in new[] { 0.0, 0.3 })
                {
                    foreach (bool weighted in new[] { false, true })
                    {
                        const int rows = 6, inputs = 3;
                        var network = Network<double>.Create(inputs, Enumerable.Repeat(4, depth).ToArray(), activation, outputs);
                        network.Initialize(rng);
                        // Non-zero biases so that no unit sits exactly at a kink.
                        foreach (var layer in network.Layers)
                        {
                            for (int i = 0; i < layer.Units; i++)
                                network.Parameters[layer.BiasOffset + i] = rng.NextDouble(-0.5, 0.5);
                        }
                        var x = Random(rng, rows * inputs, 1.5);
                        var y = Random(rng, rows * outputs, 1.0);
                        double[]? w = weighted ? Enumerable.Range(0, rows).Select(_ => rng.NextDouble(0.1, 3.0)).ToArray() : null;
                        var loss = new LossFunction(lossKind, huberDelta: 0.3);
                        var report = GradientCheck.Run(network, x, y, loss, l2, w);
                        Assert.True(report.Worst < Threshold,
                            $"{activation}/{lossKind} depth {depth}, {outputs} outputs, L2 {l2}, weighted {weighted}: worst relative error {report.Worst:E2} " +
                            string.Join(", ", report.Layers.Select(l => $"layer {l.Layer}: {l.Worst:E2}")));
                        Assert.Equal(depth + 1, report.Layers.Count);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ActivationsAndLosses))]
    public void Each_activation_and_loss_derivative_matches_finite_differences(Activation activation, LossKind lossKind)
    {
        const double h = 1e-6;
        var loss = new LossFunction(lossKind, huberDelta: 0.7);
        foreach (double z in new[] { -3.1, -1.2, -0.35, 0.27, 0.9, 2.4 })
        {
            double a = activation.Value(z);
            double numeric = (activation.Value(z + h) - activation.Value(z - h)) / (2 * h);
            Assert.True(GradientCheck.RelativeError(activation.Derivative(z, a), numeric) < Threshold, $"{activation} at {z}");

            double lossNumeric = (loss.Value(z + h) - loss.Value(z - h)) / (2 * h);
            Assert.True(GradientCheck.RelativeError(loss.Derivative(z), lossNumeric) < Threshold, $"{lossKind} at {z}");
        }
    }

    [Theory]
    [MemberData(nameof(ActivationsAndLosses))]
    public void Span_kernels_agree_with_the_scalar_definitions(Activation activation, LossKind unused)
    {
        _ = unused;
        var rng = new Rng(3);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 31, 64, 100, 300 })
        {
            var z = Random(rng, n, 4.0);
            var a = new double[n];
            ActivationFunctions.Forward(activation, a.AsSpan(), z);
            var delta = Random(rng, n, 1.0);
            var expected = delta.ToArray();
            ActivationFunctions.Backward(activation, delta.AsSpan(), z, a);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(activation.Value(z[i]), a[i], 1e-14);
                Assert.Equal(expected[i] * activation.Derivative(z[i], a[i]), delta[i], 1e-14);
            }
        }
    }

    [Fact]
    public void A_gradient_off_by_the_number_of_outputs_is_caught()
    {
        // scikit-learn's old multi-output bug: the gradient divided by the output count. The check
        // must flag it, in the layer where it happens.
        var network = Network<double>.Create(2, [3], Activation.Tanh, 3);
        network.Initialize(new Rng(5));
        var x = new[] { 0.3, -0.7, 1.1, 0.4 };
        var y = new[] { 0.5, -0.2, 0.1, 0.9, -0.4, 0.3 };
        var good = GradientCheck.Run(network, x, y);
        Assert.True(good.Worst < Threshold);

        var wrong = good.AnalyticGradient.ToArray();
        var output = network.Layers[1];
        for (int i = output.WeightOffset; i < output.WeightOffset + output.ParameterCount; i++)
            wrong[i] /= 3;
        var data = new Backprop.Training.TrainingData<double>(x, y, 2, 3);
        var objective = new Backprop.Training.Objective<double>(network, LossFunction.SquaredError, 0, 2, 1);
        var scratch = new double[wrong.Length];
        var report = GradientCheck.Compare(network, wrong, () => objective.Full(data, scratch, out _));
        Assert.True(report.Layers[0].Worst < Threshold);
        Assert.True(report.Layers[1].Worst > 0.5, $"output layer error {report.Layers[1].Worst}");
    }

    private static double[] Random(Rng rng, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => rng.NextDouble(-scale, scale)).ToArray();
}
