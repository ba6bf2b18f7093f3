using System.CommandLine;
using Backprop.Data.Csv;
using Backprop.Tables;

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
            var trained = TableModel.Load(p.GetValue(model)!);
            var scores = trained.EvaluateFile(p.GetValue(data)!, new CsvOptions(!p.GetValue(noHeader), p.GetValue(separator) is { } s ? Parsing.Separator(s) : null));
            Rendering.Warn(io, scores.Warnings);
            Rendering.Metrics(io, trained.TargetNames, [scores.Scored]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
