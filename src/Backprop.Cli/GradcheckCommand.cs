using System.CommandLine;
using System.Globalization;
using Backprop.Data.Csv;
using Backprop.Diagnostics;
using Backprop.Tables;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary><c>backprop gradcheck MODEL DATA</c>: backpropagation against central finite differences, per layer.</summary>
internal static class GradcheckCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var data = new Argument<string>("DATA") { Description = "Labelled CSV/TSV or Parquet file with the model's columns." };
        var rows = new Option<int>("--rows") { Description = "Check on the first N usable rows (every parameter costs two passes over them).", DefaultValueFactory = _ => 32, HelpName = "N" };
        var threshold = new Option<double>("--threshold") { Description = "Fail (exit 1) when the worst relative error is above this.", DefaultValueFactory = _ => 1e-6, HelpName = "X" };
        var csv = Parsing.CsvOptions();
        var member = Parsing.MemberOption();
        var command = new Command("gradcheck",
            "Check the model's backpropagated gradient of the training objective (loss + L2) against central finite differences, " +
            "in double precision, on the encoded rows of a file. Prints the worst relative error per layer; exit 1 above --threshold.\n\n" +
            "Examples:\n" +
            "  backprop gradcheck diabetes.model.json samples/diabetes.csv\n" +
            "  backprop gradcheck model.json data.csv --rows 8 --threshold 1e-5")
        { model, data, rows, threshold, member, csv.NoHeader, csv.Separator, csv.Format };
        CliApp.SetAction(command, io, p =>
        {
            int n = p.GetValue(rows);
            double limit = p.GetValue(threshold);
            if (n < 1)
                throw new CliException($"--rows must be at least 1; got {n}.");
            if (!(limit > 0) || !double.IsFinite(limit))
                throw new CliException($"--threshold must be a positive number; got {Parsing.Number(limit)}.");
            var bundle = TableModel.Load(p.GetValue(model)!);
            int k = Parsing.Member(p.GetValue(member), bundle);
            string path = p.GetValue(data)!;
            var encoded = bundle.Encoder.Encode(DataTable.Load(path, Parsing.Csv(p, csv)), requireTargets: true);
            if (encoded.Rows == 0)
                throw new CliException($"{path}: no usable rows (every row has a missing value).");
            n = Math.Min(n, encoded.Rows);
            var x = encoded.Inputs.AsSpan(0, n * encoded.Features).ToArray();
            var y = Parsing.NetworkTargets(bundle, encoded.Targets.AsSpan(0, n * encoded.Outputs).ToArray(), k, path);
            var network = bundle.Members[k].ToNetwork();
            var report = GradientCheck.Run(network, x, y, bundle.Loss, bundle.Members[k].Options.L2);
            var table = Rendering.NewTable(io).AddColumn("layer").AddColumn("shape")
                .AddColumn(new TableColumn("worst weight error").RightAligned()).AddColumn(new TableColumn("worst bias error").RightAligned());
            foreach (var l in report.Layers)
            {
                var layer = network.Layers[l.Layer];
                table.AddRow((l.Layer + 1).ToString(CultureInfo.InvariantCulture), $"{layer.Units} x {layer.Inputs} {Parsing.NameOf(Parsing.Activations, layer.Activation)}",
                    E(l.WorstWeightError), E(l.WorstBiasError));
            }
            io.Console.Write(table);
            bool pass = report.Worst <= limit;
            io.Out.WriteLine($"Worst relative error {E(report.Worst)} on {n} rows, {network.Parameters.Length} parameters: {(pass ? "PASS" : "FAIL")} (threshold {E(limit)}).");
            if (!pass)
            {
                io.Err.WriteLine($"error: gradient check failed: worst relative error {E(report.Worst)} is above {E(limit)}" +
                    (network.Layers[0].Activation is Activations.Activation.Relu or Activations.Activation.LeakyRelu
                        ? " (relu has a kink at 0: a pre-activation within the finite-difference step of 0 gives a wrong numeric gradient; try --rows 4)."
                        : "."));
                return ExitCodes.Failure;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string E(double x) => x.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
