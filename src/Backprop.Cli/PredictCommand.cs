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
        var data = new Argument<string>("DATA") { Description = "CSV/TSV with the model's feature columns (any order; the targets may be absent)." };
        var output = new Option<string?>("--out", "-o") { Description = "File to write (atomically: complete or not at all). Default: stdout.", HelpName = "FILE" };
        var only = new Option<bool>("--only-predictions") { Description = "Write only the prediction columns, not the input columns." };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data; columns are named column1, column2, ..." };
        var separator = new Option<string?>("--separator") { Description = "Field separator (, ; | or tab); detected when not given.", HelpName = "CHAR" };
        var command = new Command("predict",
            "Predict every row of a file, streaming (the file may be larger than memory). Writes the input rows with a column " +
            "<target>_predicted added per target, in the targets' own units.\n\n" +
            "Examples:\n" +
            "  backprop predict diabetes.model.json samples/diabetes.csv\n" +
            "  backprop predict model.json new.csv --out predictions.csv --only-predictions")
        { model, data, output, only, noHeader, separator };
        CliApp.SetAction(command, io, p => Run(io, p.GetValue(model)!, p.GetValue(data)!, p.GetValue(output), p.GetValue(only),
            new CsvOptions(!p.GetValue(noHeader), p.GetValue(separator) is { } s ? Parsing.Separator(s) : null)));
        return command;
    }

    private static int Run(Io io, string modelPath, string dataPath, string? outPath, bool only, CsvOptions csv)
    {
        if (outPath is not null)
        {
            OutputPaths.CheckFolder(outPath, "--out");
            if (Directory.Exists(outPath))
                throw new CliException($"--out: '{outPath}' is a folder; give a file name.");
            if (OutputPaths.Same(outPath, dataPath))
                throw new CliException("--out: it is the input file; write the predictions to another file.");
        }
        var model = TableModel.Load(modelPath);
        PredictionSummary summary;
        if (outPath is null)
        {
            summary = model.PredictFile(dataPath, io.Out, csv, only);
            io.Out.Flush();
        }
        else
        {
            summary = model.PredictFile(dataPath, outPath, csv, only);
        }
        Rendering.Warn(io, summary.Warnings);
        if (outPath is not null)
            io.Err.WriteLine($"Wrote {summary.Rows} predictions to {outPath}.");
        return ExitCodes.Ok;
    }
}
