using System.CommandLine;
using Backprop.Data.Csv;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary><c>backprop predict MODEL DATA</c>: streams rows through the model, appending one prediction column per target.</summary>
internal static class PredictCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var data = new Argument<string>("DATA") { Description = "CSV/TSV or Parquet file with the model's feature columns (any order; the targets may be absent)." };
        var output = new Option<string?>("--out", "-o") { Description = "File to write (atomically: complete or not at all): CSV, or Parquet when it ends in .parquet. Default: stdout.", HelpName = "FILE" };
        var only = new Option<bool>("--only-predictions") { Description = "Write only the prediction columns, not the input columns." };
        var interval = new Option<double?>("--interval") { Description = "Also write <target>_lower and <target>_upper: a CV+ prediction interval meant to hold the true value this often (0.5 up to 1, such as 0.9), from the search's out-of-fold residuals. CSV files only.", HelpName = "COVERAGE" };
        var csv = Parsing.CsvOptions();
        var missing = Parsing.MissingOverride();
        var json = Parsing.JsonOption("the rows predicted and left without a prediction, the output file and the warnings; needs --out");
        var command = new Command("predict",
            "Predict every row of a file, streaming (the file may be larger than memory). Writes the input rows with a column " +
            "<target>_predicted added per target, in the targets' own units.\n\n" +
            "Examples:\n" +
            "  backprop predict diabetes.model.json samples/diabetes.csv\n" +
            "  backprop predict model.json new.csv --out predictions.csv --only-predictions\n" +
            "  backprop predict model.json new.csv --out predictions.csv --interval 0.9\n" +
            "  backprop predict model.json new.parquet --out scored.parquet")
        { model, data, output, only, interval, csv.NoHeader, csv.Separator, csv.Format, missing, json };
        CliApp.SetAction(command, io, p =>
        {
            string modelPath = p.GetValue(model)!, dataPath = p.GetValue(data)!;
            string? outPath = p.GetValue(output);
            if (p.GetValue(json) && outPath is null)
                throw new CliException("--json needs --out: the predictions and the JSON summary cannot share stdout.");
            CheckOutput(dataPath, outPath);
            var trained = Parsing.WithMissing(p, missing, TableModel.Load(modelPath));
            var read = Parsing.Csv(p, csv);
            double? coverage = p.GetValue(interval);
            if (coverage is double c)
                CheckInterval(c, trained, read.Format == Backprop.Data.TableFormat.Parquet || IsParquet(dataPath) || (outPath is not null && IsParquet(outPath)));
            return Run(io, trained, dataPath, outPath, p.GetValue(only), read, p.GetValue(json), coverage);
        });
        return command;
    }

    private static void CheckOutput(string dataPath, string? outPath)
    {
        if (outPath is null)
            return;
        if (OutputPaths.Same(outPath, dataPath))
            throw new CliException("--out: it is the input file; write the predictions to another file.");
        OutputPaths.CheckWritableFile(outPath, "--out");
    }

    // The library says the same in an ArgumentException; here it is a usage error with the option's name.
    private static void CheckInterval(double coverage, TableModel model, bool parquet)
    {
        if (!(coverage >= 0.5 && coverage < 1))
            throw new CliException($"--interval must be a coverage from 0.5 up to but not including 1, such as 0.9 for a 90% interval; got {Parsing.Number(coverage)}.");
        if (parquet)
            throw new CliException("--interval: prediction intervals are written to CSV files only; read and write CSV to get them.");
        if (!model.HasIntervals)
            throw new CliException("--interval: this model has no prediction intervals; they come from the cross-validated search (train without --search none, and without --stream, --checkpoint or --resume).");
    }

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static int Run(Io io, TableModel model, string dataPath, string? outPath, bool only, CsvOptions csv, bool json, double? interval)
    {
        PredictionSummary? summary = null;
        if (outPath is null)
        {
            summary = model.PredictFile(dataPath, io.Out, csv, only, interval);
            io.Out.Flush();
        }
        else
        {
            OutputPaths.Write(outPath, "--out", () => summary = model.PredictFile(dataPath, outPath, csv, only, interval));
        }
        Rendering.Warn(io, summary!.Warnings);
        if (json)
            JsonReport.Write(io, JsonReport.Predict(outPath!, summary));
        else if (outPath is not null)
            io.Err.WriteLine($"Wrote {summary.Rows} predictions to {outPath}.");
        return ExitCodes.Ok;
    }
}
