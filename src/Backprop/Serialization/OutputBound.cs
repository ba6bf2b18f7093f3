using Backprop.Activations;
using Backprop.Regression;

namespace Backprop.Serialization;

/// <summary>
/// A bound on every number a model's forward pass can produce, by interval arithmetic from the
/// inputs to the prediction: what lets the loader refuse a model whose finite weights would still
/// overflow (a weight of 1e308 predicts infinity or NaN), before anything is built from it.
/// </summary>
internal static class OutputBound
{
    /// <summary>The raw input magnitude up to which a loaded model is guaranteed to predict finite numbers.</summary>
    public const double InputRange = 1e6;

    /// <summary>
    /// The first layer (1-based) whose outputs could overflow for raw inputs within
    /// ±<see cref="InputRange"/>, 0 when the output (after the target scaler) is finite too, or -1
    /// when every layer is finite and only the target scaler overflows.
    /// </summary>
    public static int FirstOverflow(ModelDocument d)
    {
        // Half the largest finite value: sums of bounded terms may round a little above their bound.
        double limit = (d.Precision == Precision.Single ? float.MaxValue : double.MaxValue) / 2;
        double bound = 0;
        for (int j = 0; j < d.Inputs; j++)
            bound = Math.Max(bound, d.InputScaler is { } s ? (InputRange + Math.Abs(s.Mean[j])) / s.Scale[j] : InputRange);
        for (int l = 0; l < d.Layers.Count; l++)
        {
            var layer = d.Layers[l];
            int fanIn = layer.Weights.Length / layer.Units;
            double z = 0;
            for (int i = 0; i < layer.Units; i++)
            {
                double row = Math.Abs(layer.Biases[i]);
                foreach (double w in layer.Weights.AsSpan(i * fanIn, fanIn))
                    row += Math.Abs(w) * bound;
                z = Math.Max(z, row);
            }
            // GELU's tanh form cubes its input on the way.
            double widest = layer.Activation == Activation.Gelu ? 0.044715 * z * z * z : z;
            if (!(widest <= limit))
                return l + 1;
            bound = layer.Activation switch
            {
                Activation.Sigmoid or Activation.Tanh => 1,
                Activation.Softplus => z + Math.Log(2), // ln(1 + e^z) <= |z| + ln 2
                _ => z, // identity, ReLU, leaky ReLU and GELU never grow their input's magnitude
            };
        }
        if (d.TargetScaler is { } t)
        {
            for (int k = 0; k < t.Scale.Length; k++)
                if (!(bound * t.Scale[k] + Math.Abs(t.Mean[k]) <= limit))
                    return -1;
        }
        return 0;
    }
}
