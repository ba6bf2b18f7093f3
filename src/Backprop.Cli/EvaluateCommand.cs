using System.CommandLine;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary><c>backprop evaluate MODEL DATA</c>: R^2, RMSE and MAE on a labelled file.</summary>
internal static class EvaluateCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var data = new Argument<string>("DATA") { Description = "Labelled CSV/TSV or Parquet file: the feature columns and the target column(s)." };
        var csv = Parsing.CsvOptions();
        var missing = Parsing.MissingOverride();
        var json = Parsing.JsonOption("the rows scored and left out, the scores and the warnings");
        var command = new Command("evaluate",
            "Score a model on a labelled file: R2, RMSE and MAE per target and overall, in the targets' units. " +
            "Rows with a missing target are left out and counted; the model's missing-value policy (or --missing) applies to the features.\n\n" +
            "Examples:\n" +
            "  backprop evaluate diabetes.model.json samples/diabetes.csv\n" +
            "  backprop evaluate model.json holdout.csv --missing drop --json")
        { model, data, csv.NoHeader, csv.Separator, csv.Format, missing, json };
        CliApp.SetAction(command, io, p =>
        {
            string modelPath = p.GetValue(model)!, dataPath = p.GetValue(data)!;
            var trained = Parsing.WithMissing(p, missing, TableModel.Load(modelPath));
            var scores = trained.EvaluateFile(dataPath, Parsing.Csv(p, csv));
            Rendering.Warn(io, scores.Warnings);
            if (p.GetValue(json))
                JsonReport.Write(io, JsonReport.Evaluate(modelPath, dataPath, trained, scores));
            else
                Rendering.Metrics(io, trained.TargetNames, [scores.Scored]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
