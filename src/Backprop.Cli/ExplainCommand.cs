using System.CommandLine;
using System.Globalization;
using Backprop.Activations;
using Backprop.Data.Csv;
using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop explain</c>: one row through the network, forward and backward, with every number, and
/// beside each backpropagated gradient the central finite difference.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>The seed's example: the first row of samples/seed_curve.csv and its hand-set weights.</summary>
    internal const double SeedX = -2.925086, SeedY = -0.249601, SeedW1 = 0.5, SeedB1 = 0, SeedW2 = 0.5, SeedB2 = 0;


    public static Command Create(Io io)
    {
        var model = new Argument<string?>("MODEL") { Description = "Model file written by 'backprop train'.", Arity = ArgumentArity.ZeroOrOne };
        var data = new Argument<string?>("DATA") { Description = "Labelled CSV/TSV or Parquet file with the model's columns.", Arity = ArgumentArity.ZeroOrOne };
        var row = new Option<int>("--row") { Description = "Data row to explain, 1 = the first row after the header.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var seedExample = new Option<bool>("--seed-example") { Description = "The seed's own 1-1-1 network (w1 = 0.5, b1 = 0, w2 = 0.5, b2 = 0) on the first row of samples/seed_curve.csv; needs no files." };
        var activation = new Option<string?>("--activation") { Description = "With --seed-example: sigmoid (default) or tanh.", HelpName = "sigmoid|tanh" };
        var csv = Parsing.CsvOptions();
        var member = Parsing.MemberOption();
        var command = new Command("explain",
            "Explain one row: the forward pass (z and a of every layer) and the backward pass as the seed writes it. For a 1-1-1 " +
            "network every chain-rule factor with its number; for bigger networks each layer's error term and gradient norms, and " +
            "full values where the layer is small. Beside each backpropagated gradient, the central finite difference. Losses and " +
            "gradients are in the network's units (standardized target).\n\n" +
            "Examples:\n" +
            "  backprop explain --seed-example\n" +
            "  backprop explain --seed-example --activation tanh\n" +
            "  backprop explain diabetes.model.json samples/diabetes.csv --row 3")
        { model, data, row, member, seedExample, activation, csv.NoHeader, csv.Separator, csv.Format };
        CliApp.SetAction(command, io, p =>
        {
            if (p.GetValue(seedExample))
            {
                if (p.GetValue(model) is not null)
                    throw new CliException("explain: give either --seed-example or MODEL DATA, not both.");
                var g = p.GetValue(activation) is { } a ? Parsing.Choice("--activation", a, Parsing.Activations) : Activation.Sigmoid;
                if (g is not (Activation.Sigmoid or Activation.Tanh))
                    throw new CliException("--activation: the seed example uses sigmoid or tanh.");
                return SeedExample(io, g);
            }
            if (p.GetValue(activation) is not null)
                throw new CliException("--activation only applies to --seed-example; a model file has its own activation.");
            if (p.GetValue(model) is not { } modelPath || p.GetValue(data) is not { } dataPath)
                throw new CliException("explain needs MODEL and DATA, or --seed-example. See 'backprop explain --help'.");
            return FromModel(io, modelPath, dataPath, p.GetValue(row), p.GetValue(member), Parsing.Csv(p, csv));
        });
        return command;
    }

    private static int SeedExample(Io io, Activation g)
    {
        var network = Network<double>.Create(1, [1], g, 1);
        network.Weights(0)[0] = SeedW1;
        network.Biases(0)[0] = SeedB1;
        network.Weights(1)[0] = SeedW2;
        network.Biases(1)[0] = SeedB2;
        io.Out.WriteLine("The seed's network: one input, one hidden unit, one output; the first row of samples/seed_curve.csv.");
        io.Out.WriteLine($"  x = {N(SeedX)}, y = {N(SeedY)};  w1 = {N(SeedW1)}, b1 = {N(SeedB1)}, w2 = {N(SeedW2)}, b2 = {N(SeedB2)};  g = {Name(g)}");
        io.Out.WriteLine();
        ChainRule(io, network, SeedX, SeedY, LossFunction.SquaredError);
        return ExitCodes.Ok;
    }

    private static int FromModel(Io io, string modelPath, string dataPath, int row, int member, CsvOptions csv)
    {
        if (row < 1)
            throw new CliException($"--row must be 1 or more (1 = the first data row); got {row}.");
        var bundle = TableModel.Load(modelPath);
        int k = Parsing.Member(member, bundle);
        var table = DataTable.Load(dataPath, csv);
        if (row > table.RowCount)
            throw new CliException($"--row {row}: {dataPath} has only {table.RowCount} data rows.");
        var encoded = bundle.Encoder.Encode(table.Select([row - 1]), requireTargets: true);
        if (encoded.Rows == 0)
            throw new CliException($"{dataPath}: line {table.LineNumber(row - 1)} has a missing value the model does not fill; pick another --row.");
        var x = encoded.Inputs;
        var y = Parsing.NetworkTargets(bundle, encoded.Targets, k, dataPath);
        var network = bundle.Members[k].ToNetwork();
        var loss = bundle.Loss;
        io.Out.WriteLine($"Row {row} of {Path.GetFileName(dataPath)} (line {table.LineNumber(row - 1)}), through {Path.GetFileName(modelPath)}.");
        if (bundle.Members.Count > 1)
            io.Out.WriteLine($"The model averages {bundle.Members.Count} networks; this is network {k + 1} (--member picks another).");
        string scaled = bundle.TargetTransform == TargetTransform.Log ? "log, then standardized" : "standardized";
        io.Out.WriteLine($"Target(s) {string.Join(", ", bundle.Encoder.TargetNames)} = {string.Join(", ", encoded.Targets.Select(N))}; {scaled} for the network: y = {string.Join(", ", y.Select(N))}.");
        io.Out.WriteLine();
        bool seedShape = network.InputCount == 1 && network.Layers.Count == 2 && network.Layers[0].Units == 1 && network.OutputCount == 1;
        if (seedShape && loss.Kind == LossKind.SquaredError)
            ChainRule(io, network, x[0], y[0], loss);
        else
            Layers(io, network, x, y, loss, bundle.Encoder.FeatureNames);
        return ExitCodes.Ok;
    }

    /// <summary>The 1-1-1 network, every factor of the chain rule written out with its number.</summary>
    private static void ChainRule(Io io, Network<double> network, double x, double y, LossFunction loss)
    {
        var g = network.Layers[0].Activation;
        var pass = network.CreatePass(1);
        pass.Forward(new[] { x }, 1);
        double lossValue = pass.Backward(new[] { y }, loss);
        double w1 = network.Weights(0)[0], b1 = network.Biases(0)[0], w2 = network.Weights(1)[0], b2 = network.Biases(1)[0];
        // z is recomputed from the weights: the pass keeps only a for activations whose derivative needs only a.
        double a1 = pass.Activations(0)[0], a2 = pass.Activations(1)[0];
        double z1 = w1 * x + b1, z2 = w2 * a1 + b2;
        var w = io.Out;
        w.WriteLine("Forward pass");
        w.WriteLine($"  z1 = w1 * x + b1 = {N(w1)} * {P(x)} + {P(b1)} = {N(z1)}");
        w.WriteLine($"  a1 = {Name(g)}(z1) = {Formula(g)} = {N(a1)}");
        w.WriteLine($"  z2 = w2 * a1 + b2 = {N(w2)} * {P(a1)} + {P(b2)} = {N(z2)}");
        w.WriteLine($"  a2 = z2 = y_hat = {N(a2)}");
        w.WriteLine($"  L  = 1/2 (y - a2)^2 = 1/2 ({N(y)} - {P(a2)})^2 = {N(lossValue)}");
        w.WriteLine();

        double e = a2 - y;
        double gPrime = g.Derivative(z1, a1);
        string gText = g switch
        {
            Activation.Sigmoid => "a1(1 - a1)",
            Activation.Tanh => "(1 - a1^2)",
            _ => $"{Name(g)}'(z1)",
        };
        var grads = pass.Gradients; // layout: w1, b1, w2, b2
        double[] numeric = GradientCheck.Run(network, [x], [y], loss).NumericGradient;
        w.WriteLine("Backward pass (chain rule); 'backprop' is the library's Backward, 'numeric' the central finite difference");
        Line(w, "dL/dw2 = (a2 - y) * a1", $"({N(e)}) * ({N(a1)})", e * a1, grads[2], numeric[2]);
        Line(w, "dL/db2 = (a2 - y)", $"({N(e)})", e, grads[3], numeric[3]);
        Line(w, $"dL/dw1 = (a2 - y) * w2 * {gText} * x", $"({N(e)}) * ({N(w2)}) * ({N(gPrime)}) * ({N(x)})", e * w2 * gPrime * x, grads[0], numeric[0]);
        Line(w, $"dL/db1 = (a2 - y) * w2 * {gText}", $"({N(e)}) * ({N(w2)}) * ({N(gPrime)})", e * w2 * gPrime, grads[1], numeric[1]);
    }

    private static void Line(TextWriter w, string formula, string factors, double value, double backprop, double numeric)
    {
        w.WriteLine($"  {formula} = {factors} = {N(value)}");
        w.WriteLine($"      backprop {N(backprop)}   numeric {N(numeric)}   relative difference {E(GradientCheck.RelativeError(backprop, numeric))}");
    }

    /// <summary>Any network: per layer z and a, the error term dL/dz and the gradient, in full where small.</summary>
    private static void Layers(Io io, Network<double> network, double[] x, double[] y, LossFunction loss, IReadOnlyList<string> featureNames)
    {
        const int Small = 12;
        var w = io.Out;
        var pass = network.CreatePass(1);
        pass.Forward(x, 1);
        double lossValue = pass.Backward(y, loss);
        var numeric = GradientCheck.Run(network, x, y, loss).NumericGradient;
        w.WriteLine("Forward pass");
        w.WriteLine($"  x ({Rendering.Noun(x.Length, "input")}) = {Values(x, Small)}");
        if (x.Length <= Small)
            w.WriteLine($"      inputs: {string.Join(", ", featureNames)}");
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string name = l == network.Layers.Count - 1 ? "output" : "hidden";
            w.WriteLine($"  layer {l + 1} ({name}, {layer.Units} unit{(layer.Units == 1 ? "" : "s")}, {Name(layer.Activation)}): z = W a_prev + b");
            w.WriteLine($"      z = {Values(PreActivations(network, l, l == 0 ? x : pass.Activations(l - 1)), Small)}");
            w.WriteLine($"      a = {Values(pass.Activations(l), Small)}");
        }
        w.WriteLine($"  L = {Parsing.NameOf(Parsing.Losses, loss.Kind)} loss = {N(lossValue)}");
        w.WriteLine();
        w.WriteLine("Backward pass: D_n = dL/dy_hat; D_(l-1) = (D_l W_l) .* g'(z_(l-1)); dW_l = D_l^T a_(l-1); db_l = D_l");
        for (int l = network.Layers.Count - 1; l >= 0; l--)
        {
            var layer = network.Layers[l];
            var g = pass.Gradients.AsSpan(layer.WeightOffset, layer.ParameterCount);
            var n = numeric.AsSpan(layer.WeightOffset, layer.ParameterCount);
            double worst = 0;
            for (int i = 0; i < g.Length; i++)
                worst = Math.Max(worst, GradientCheck.RelativeError(g[i], n[i]));
            w.WriteLine($"  layer {l + 1}: error term D = dL/dz, |D| = {N(Norm(pass.Deltas(l)))}");
            w.WriteLine($"      D = {Values(pass.Deltas(l), Small)}");
            w.WriteLine($"      |dL/dW| = {N(Norm(g[..layer.WeightCount]))} (numeric {N(Norm(n[..layer.WeightCount]))}), |dL/db| = {N(Norm(g[layer.WeightCount..]))} (numeric {N(Norm(n[layer.WeightCount..]))}), worst relative difference {E(worst)}");
            if (layer.ParameterCount <= Small)
            {
                for (int i = 0; i < g.Length; i++)
                {
                    string p = i < layer.WeightCount ? $"dL/dW{l + 1}[{i / layer.Inputs},{i % layer.Inputs}]" : $"dL/db{l + 1}[{i - layer.WeightCount}]";
                    w.WriteLine($"      {p} = {N(g[i])}   numeric {N(n[i])}");
                }
            }
        }
    }

    // z = W a_prev + b for one row (the pass may not keep z when g' needs only a).
    private static double[] PreActivations(Network<double> network, int l, ReadOnlySpan<double> previous)
    {
        var layer = network.Layers[l];
        var weights = network.Weights(l);
        var biases = network.Biases(l);
        var z = new double[layer.Units];
        for (int u = 0; u < z.Length; u++)
        {
            double sum = biases[u];
            for (int i = 0; i < layer.Inputs; i++)
                sum += weights[u * layer.Inputs + i] * previous[i];
            z[u] = sum;
        }
        return z;
    }

    private static string Values(ReadOnlySpan<double> v, int small)
    {
        if (v.Length <= small)
            return "[" + string.Join(", ", v.ToArray().Select(N)) + "]";
        double min = double.MaxValue, max = double.MinValue;
        foreach (double d in v)
        {
            min = Math.Min(min, d);
            max = Math.Max(max, d);
        }
        return $"{v.Length} values, norm {N(Norm(v))}, min {N(min)}, max {N(max)}, first [{string.Join(", ", v[..4].ToArray().Select(N))}, ...]";
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double d in v)
            s += d * d;
        return Math.Sqrt(s);
    }

    private static string Name(Activation g) => Parsing.NameOf(Parsing.Activations, g);

    private static string Formula(Activation g) => g switch
    {
        Activation.Sigmoid => "1 / (1 + e^-z1)",
        Activation.Tanh => "(e^z1 - e^-z1) / (e^z1 + e^-z1)",
        Activation.Relu => "max(0, z1)",
        _ => $"{Name(g)}(z1)",
    };

    /// <summary>Numbers in explanations: 10 significant digits, invariant culture.</summary>
    internal static string N(double x) => x.ToString("G10", CultureInfo.InvariantCulture);

    // A number inside a sum: negative ones in parentheses.
    private static string P(double x) => x < 0 ? $"({N(x)})" : N(x);

    private static string E(double x) => x.ToString("0.0e+00", CultureInfo.InvariantCulture);
}
