using Backprop.Activations;
using Backprop.Layers;
using Backprop.Networks;

namespace Backprop.Tests.Engine;

// The seed's 1-1-1 network and its curve, shared by the tests that reproduce the derivation.
internal static class SeedNetwork
{
    public static Network<T> Create<T>(Activation hidden, double w1 = 0.5, double b1 = 0.0, double w2 = 0.5, double b2 = 0.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new Network<T>(1, [new LayerSpec(1, hidden), new LayerSpec(1, Activation.Identity)]);
        network.Parameters[0] = T.CreateTruncating(w1);
        network.Parameters[1] = T.CreateTruncating(b1);
        network.Parameters[2] = T.CreateTruncating(w2);
        network.Parameters[3] = T.CreateTruncating(b2);
        return network;
    }

    public static (double[] X, double[] Y) Curve()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "seed_curve.csv"));
        var x = new double[lines.Length - 1];
        var y = new double[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            x[i - 1] = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            y[i - 1] = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return (x, y);
    }
}
