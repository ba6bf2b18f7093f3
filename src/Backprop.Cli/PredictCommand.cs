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
        var csv = Parsing.CsvOptions();
        var missing = Parsing.MissingOverride();
        var json = Parsing.JsonOption("the rows predicted and left without a prediction, the output file and the warnings; needs --out");
        var command = new Command("predict",
            "Predict every row of a file, streaming (the file may be larger than memory). Writes the input rows with a column " +
            "<target>_predicted added per target, in the targets' own units.\n\n" +
            "Examples:\n" +
            "  backprop predict diabetes.model.json samples/diabetes.csv\n" +
            "  backprop predict model.json new.csv --out predictions.csv --only-predictions\n" +
            "  backprop predict model.json new.parquet --out scored.parquet")
        { model, data, output, only, csv.NoHeader, csv.Separator, csv.Format, missing, json };
        CliApp.SetAction(command, io, p =>
        {
            string modelPath = p.GetValue(model)!, dataPath = p.GetValue(data)!;
            string? outPath = p.GetValue(output);
            if (p.GetValue(json) && outPath is null)
                throw new CliException("--json needs --out: the predictions and the JSON summary cannot share stdout.");
            CheckOutput(dataPath, outPath);
            var trained = Parsing.WithMissing(p, missing, TableModel.Load(modelPath));
            return Run(io, trained, dataPath, outPath, p.GetValue(only), Parsing.Csv(p, csv), p.GetValue(json));
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

    private static int Run(Io io, TableModel model, string dataPath, string? outPath, bool only, CsvOptions csv, bool json)
    {
        PredictionSummary? summary = null;
        if (outPath is null)
        {
            summary = model.PredictFile(dataPath, io.Out, csv, only);
            io.Out.Flush();
        }
        else
        {
            OutputPaths.Write(outPath, "--out", () => summary = model.PredictFile(dataPath, outPath, csv, only));
        }
        Rendering.Warn(io, summary!.Warnings);
        if (json)
            JsonReport.Write(io, JsonReport.Predict(outPath!, summary));
        else if (outPath is not null)
            io.Err.WriteLine($"Wrote {summary.Rows} predictions to {outPath}.");
        return ExitCodes.Ok;
    }
}
