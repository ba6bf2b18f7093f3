using System.CommandLine;
using Backprop.Data.Csv;
using Backprop.Regression;

namespace Backprop.Cli;

/// <summary><c>backprop evaluate MODEL DATA</c>: R^2, RMSE and MAE on a labelled file.</summary>
internal static class EvaluateCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var data = new Argument<string>("DATA") { Description = "Labelled CSV/TSV: the feature columns and the target column(s)." };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data; columns are named column1, column2, ..." };
        var separator = new Option<string?>("--separator") { Description = "Field separator (, ; | or tab); detected when not given.", HelpName = "CHAR" };
        var command = new Command("evaluate",
            "Score a model on a labelled file: R2, RMSE and MAE per target and overall, in the targets' units. " +
            "Rows with a missing target are left out; the model's missing-value policy applies to the features.\n\n" +
            "Examples:\n" +
            "  backprop evaluate diabetes.model.json samples/diabetes.csv")
        { model, data, noHeader, separator };
        CliApp.SetAction(command, io, p =>
        {
            var bundle = ModelBundle.Load(p.GetValue(model)!);
            string path = p.GetValue(data)!;
            var table = DataTable.Load(path, new CsvOptions(!p.GetValue(noHeader), p.GetValue(separator) is { } s ? Parsing.Separator(s) : null));
            // Evaluation needs every target: a missing one drops the row whatever the model's policy.
            var encoded = bundle.Encoder.Encode(table, requireTargets: true);
            if (encoded.Rows == 0)
                throw new CliException($"{path}: no rows left to score after leaving out rows with missing values.");
            TrainCommand.WarnUnseen(io, encoded.UnseenCategories, "input");
            if (encoded.DroppedRows > 0)
                io.Warn($"{encoded.DroppedRows} row(s) with missing values were left out.");
            var set = new DataSet(encoded.Features, encoded.FeatureCount, encoded.Targets!, encoded.TargetCount);
            TrainCommand.PrintMetrics(io, bundle.Model, bundle.Encoder.TargetNames, [(System.IO.Path.GetFileName(path), set)]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
