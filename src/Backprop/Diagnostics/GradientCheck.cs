using Backprop.Losses;
using Backprop.Networks;
using Backprop.Training;

namespace Backprop.Diagnostics;

/// <summary>
/// Compares backpropagation's gradient of the whole training objective (data loss plus L2) with
/// central finite differences, (L(p + h) - L(p - h)) / 2h, in double precision.
/// </summary>
public static class GradientCheck
{
    /// <summary>Gradients smaller than this are compared in absolute terms (roundoff in tiny ones is not error).</summary>
    public const double MagnitudeFloor = 1e-3;

    /// <summary>Checks every parameter of <paramref name="network"/> on the given rows.</summary>
    /// <param name="network">The network, in double precision (see <c>MlpRegressor.ToNetwork</c>).</param>
    /// <param name="inputs">[rows, inputs].</param>
    /// <param name="targets">[rows, outputs].</param>
    /// <param name="loss">The loss; null for the seed's squared error.</param>
    /// <param name="l2">The L2 penalty lambda.</param>
    /// <param name="sampleWeights">Per-row weights, or null.</param>
    /// <param name="step">The finite-difference step h, relative to max(1, |p|).</param>
    /// <returns>The worst relative error, per layer and overall.</returns>
    public static GradientCheckReport Run(Network<double> network, double[] inputs, double[] targets, LossFunction? loss = null, double l2 = 0, double[]? sampleWeights = null, double step = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(network);
        var data = new TrainingData<double>(inputs, targets, network.InputCount, network.OutputCount, sampleWeights);
        var objective = new Objective<double>(network, loss ?? LossFunction.SquaredError, l2, data.Rows, 1);
        var analytic = new double[network.Parameters.Length];
        var scratch = new double[analytic.Length];
        objective.Full(data, analytic, out _);
        return Compare(network, analytic, () => objective.Full(data, scratch, out _), step);
    }

    // Compares a claimed gradient with central differences of loss(), which reads the network's
    // current parameters. Separate from Run so that tests can show a wrong gradient is caught.
    internal static GradientCheckReport Compare(Network<double> network, double[] analytic, Func<double> loss, double step = 1e-5)
    {
        var p = network.Parameters;
        var numericGradient = new double[p.Length];
        var layers = new List<LayerGradientCheck>();
        foreach (var layer in network.Layers)
        {
            double worstWeight = 0, worstBias = 0;
            for (int i = layer.WeightOffset; i < layer.WeightOffset + layer.ParameterCount; i++)
            {
                double original = p[i];
                double h = step * Math.Max(1.0, Math.Abs(original));
                p[i] = original + h;
                double plus = loss();
                p[i] = original - h;
                double minus = loss();
                p[i] = original;
                double numeric = (plus - minus) / (2 * h);
                numericGradient[i] = numeric;
                double error = RelativeError(analytic[i], numeric);
                if (i < layer.BiasOffset)
                    worstWeight = Math.Max(worstWeight, error);
                else
                    worstBias = Math.Max(worstBias, error);
            }
            layers.Add(new LayerGradientCheck(layers.Count, worstWeight, worstBias));
        }
        return new GradientCheckReport(layers, analytic, numericGradient);
    }

    /// <summary>|a - n| / max(|a|, |n|, <see cref="MagnitudeFloor"/>).</summary>
    public static double RelativeError(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(MagnitudeFloor, Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
}

/// <summary>The worst relative gradient error of one layer's weights and biases.</summary>
/// <param name="Layer">0-based layer index.</param>
/// <param name="WorstWeightError">Worst relative error over the layer's weights.</param>
/// <param name="WorstBiasError">Worst relative error over the layer's biases.</param>
public sealed record LayerGradientCheck(int Layer, double WorstWeightError, double WorstBiasError)
{
    /// <summary>The larger of the two.</summary>
    public double Worst => Math.Max(WorstWeightError, WorstBiasError);
}

/// <summary>The result of a gradient check.</summary>
/// <param name="Layers">Per layer, first hidden to output.</param>
/// <param name="AnalyticGradient">Backpropagation's gradient, laid out like the parameters.</param>
/// <param name="NumericGradient">The central finite differences, laid out the same way.</param>
public sealed record GradientCheckReport(IReadOnlyList<LayerGradientCheck> Layers, double[] AnalyticGradient, double[] NumericGradient)
{
    /// <summary>The worst relative error anywhere.</summary>
    public double Worst => Layers.Max(l => l.Worst);
}
