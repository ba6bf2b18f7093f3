using System.Globalization;
using Backprop.Activations;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Optimizers;

namespace Backprop.Samples.SeedStepByStep;

/// <summary>
/// The seed's 1-1-1 network (sigmoid hidden unit, identity output, squared error) trained step by
/// step with the low-level API, printing the seed's quantities at every step: z1, a1, a2, the loss
/// and dL/dw1, dL/db1, dL/dw2, dL/db2, then the updated parameters. The first step reproduces the
/// hand calculation of docs/derivation.md, section 2.
/// Usage: <c>dotnet run --project samples/SeedStepByStep [-- STEPS]</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args) =>
        Run(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3, Console.Out);

    public static int Run(int steps, TextWriter output)
    {
        // The seed's start: w1 = 0.5, b1 = 0, w2 = 0.5, b2 = 0, on the first row of the seed curve.
        double x = -2.925086, y = -0.249601, learningRate = 0.05;
        var network = new Network<double>(1, [new LayerSpec(1, Activation.Sigmoid), new LayerSpec(1, Activation.Identity)]);
        double[] start = [0.5, 0.0, 0.5, 0.0];   // the flat parameter buffer: w1, b1, w2, b2
        start.CopyTo(network.Parameters, 0);
        var pass = network.CreatePass(maxRows: 1);
        var optimizer = new GradientDescent<double>(network.Parameters.Length);

        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"x = {x}, y = {y}, learning rate {learningRate}"));
        for (int step = 1; step <= steps; step++)
        {
            pass.Forward(new[] { x }, 1);                                    // z and a of every layer
            double loss = pass.Backward(new[] { y }, LossFunction.SquaredError); // fills pass.Gradients
            double z1 = pass.PreActivations(0)[0], a1 = pass.Activations(0)[0], a2 = pass.Activations(1)[0];
            var g = pass.Gradients;
            output.WriteLine(string.Create(inv, $"step {step}"));
            output.WriteLine(string.Create(inv, $"  forward   z1 = {z1:G7}  a1 = {a1:G7}  a2 = {a2:G7}  a2 - y = {a2 - y:G7}  L = {loss:G7}"));
            output.WriteLine(string.Create(inv, $"  backward  dL/dw1 = {g[0]:G7}  dL/db1 = {g[1]:G7}  dL/dw2 = {g[2]:G7}  dL/db2 = {g[3]:G7}"));
            optimizer.Step(network.Parameters, pass.Gradients, learningRate);   // p <- p - eta dL/dp
            var p = network.Parameters;
            output.WriteLine(string.Create(inv, $"  update    w1 = {p[0]:G7}  b1 = {p[1]:G7}  w2 = {p[2]:G7}  b2 = {p[3]:G7}"));
        }
        return 0;
    }
}
