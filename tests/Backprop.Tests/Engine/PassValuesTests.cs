using Backprop.Activations;
using Backprop.Networks;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// A pass keeps z only for activations whose derivative needs it; the others are applied in place
// and PreActivations recomputes z. Either way the pass reports the z and a of the definition.
public class PassValuesTests
{
    [Theory]
    [InlineData(Activation.Relu, 13)]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.Sigmoid, 70)]
    [InlineData(Activation.Gelu, 13)]
    [InlineData(Activation.LeakyRelu, 1)]
    public void Pre_activations_and_activations_follow_the_definition(Activation activation, int rows)
    {
        const int Features = 5;
        var network = Network<double>.Create(Features, [7, 4], activation, 2);
        network.Initialize(new Rng(30));
        var rng = new Rng(31);
        var x = Enumerable.Range(0, rows * Features).Select(_ => rng.NextDouble(-2, 2)).ToArray();
        var pass = network.CreatePass(70);
        pass.Forward(x, rows);

        var input = x;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var z = pass.PreActivations(l);
            var a = pass.Activations(l);
            Assert.Equal(rows * layer.Units, z.Length);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < layer.Units; j++)
                {
                    double expected = network.Parameters[layer.BiasOffset + j];
                    for (int k = 0; k < layer.Inputs; k++)
                        expected += input[r * layer.Inputs + k] * network.Parameters[layer.WeightOffset + j * layer.Inputs + k];
                    Assert.Equal(expected, z[r * layer.Units + j], 1e-12);
                    Assert.Equal(layer.Activation.Value(expected), a[r * layer.Units + j], 1e-12);
                }
            }
            input = a.ToArray();
        }
    }

    // Each activation against its published definition, written out here rather than read from the
    // library's constants: leaky ReLU's 0.01 is the PyTorch and ONNX default, GELU's tanh form with
    // sqrt(2/pi) and 0.044715 is Hendrycks and Gimpel's, which the ONNX export relies on.
    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Gelu)]
    public void Activations_follow_their_published_definitions(Activation activation)
    {
        Func<double, double> definition = activation switch
        {
            Activation.Identity => z => z,
            Activation.Sigmoid => z => 1 / (1 + Math.Exp(-z)),
            Activation.Tanh => z => (Math.Exp(z) - Math.Exp(-z)) / (Math.Exp(z) + Math.Exp(-z)),
            Activation.Relu => z => Math.Max(z, 0),
            Activation.LeakyRelu => z => z > 0 ? z : 0.01 * z,
            Activation.Softplus => z => Math.Log(1 + Math.Exp(z)),
            Activation.Gelu => z => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        foreach (double z in new[] { -3.0, -1.5, -0.25, 0.0, 0.5, 1.0, 2.75 })
            Assert.Equal(definition(z), activation.Value(z), 1e-14);
    }
}
