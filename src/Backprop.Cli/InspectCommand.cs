using System.CommandLine;
using System.Globalization;
using Backprop.Data.Csv;
using Backprop.Serialization;
using Backprop.Tables;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary><c>backprop inspect MODEL</c>: what is in a model file.</summary>
internal static class InspectCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var json = Parsing.JsonOption("everything shown here, with the stored data summary and scores");
        var command = new Command("inspect",
            "Show what a model file holds: architecture, parameter count, the features and their scaling, " +
            "the training options and history, the data it was trained on (file name, rows, SHA-256), the data summary and " +
            "scores of the run that made it and, for the search's ensemble, its members, leaderboard and fold scores.\n\n" +
            "Examples:\n" +
            "  backprop inspect diabetes.model.json")
        { model, json };
        CliApp.SetAction(command, io, p =>
        {
            string path = p.GetValue(model)!;
            var loaded = TableModel.Load(path);
            if (!p.GetValue(json))
                return Run(io, path, loaded);
            JsonReport.Write(io, JsonReport.Inspect(path, loaded));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Run(Io io, string path, TableModel model)
    {
        var d = model.ToDocument();
        var m = model.Members[0];
        var o = m.Options;
        var w = io.Out;
        w.WriteLine($"Model file:   {path} (format {d.Format} version {d.Version}, written {d.Created?.ToString("u", CultureInfo.InvariantCulture) ?? "?"} by {d.Writer ?? "?"})");
        string layers = string.Join(" -> ", new[] { m.FeatureCount.ToString(CultureInfo.InvariantCulture) }
            .Concat(m.Layers.Select(l => $"{l.Units} {Parsing.NameOf(Parsing.Activations, l.Activation)}")));
        w.WriteLine($"Architecture: {layers}");
        if (model.Members.Count > 1)
            w.WriteLine($"Ensemble:     the mean of {model.Members.Count} networks of this architecture (the fold networks of the search); the lines below describe the first");
        if (model.TargetTransform == TargetTransform.Log)
            w.WriteLine("Transform:    the networks predict the log of the target; predictions are e to their output, in the target's units");
        w.WriteLine($"Parameters:   {model.Members.Sum(n => n.ParameterCount).ToString("N0", CultureInfo.InvariantCulture)} ({Parsing.NameOf(Parsing.Precisions, o.Precision)} precision)");
        w.WriteLine($"Targets:      {string.Join(", ", model.Encoder.TargetNames.Select((t, k) => m.TargetScaler is { } s ? $"{t} (standardized for training: mean {Parsing.Number(s.Mean[k])}, scale {Parsing.Number(s.Scale[k])})" : t))}");
        w.WriteLine($"Missing:      {Parsing.NameOf(Parsing.MissingPolicies, model.Encoder.Missing)}{(d.Table!.Ignore.Count > 0 ? "; ignored columns: " + string.Join(", ", d.Table.Ignore) : "")}");
        if (d.Data is { } data)
            w.WriteLine($"Trained on:   {data.File ?? "?"} (sha256 {data.Sha256 ?? "?"}), {data.Rows} rows used for fitting (train + validation, after any test split and dropped rows)");
        w.WriteLine($"Training:     {Parsing.NameOf(Parsing.Optimizers, o.Optimizer)} lr {Parsing.Number(o.LearningRate)} ({Parsing.NameOf(Parsing.Schedules, o.Schedule)}), " +
            $"batch {o.BatchSize}, loss {Parsing.NameOf(Parsing.Losses, o.Loss)}, L2 {Parsing.Number(o.L2)}, " +
            $"early stopping {(o.EarlyStopping ? $"on (validation {Parsing.Number(o.ValidationFraction)}, patience {o.Patience})" : "off")}, seed {o.Seed}");
        var history = m.History.Epochs;
        if (history.Count > 0)
        {
            var best = history.Where(r => r.ValidationLoss is not null).OrderBy(r => r.ValidationLoss).FirstOrDefault();
            w.WriteLine($"History:      {history.Count} epochs in {history.Sum(r => r.Seconds).ToString("F1", CultureInfo.InvariantCulture)} s; " +
                $"first train loss {Parsing.Number(history[0].TrainLoss)}, last {Parsing.Number(history[^1].TrainLoss)}" +
                (best is not null ? $"; lowest validation loss {Parsing.Number(best.ValidationLoss!.Value)} at epoch {best.Epoch}" : "") +
                (d.Result is { } r ? ". " + Rendering.StopSummary(r, o.TimeBudget) +
                    // Early stopping keeps the last epoch that improved by more than the tolerance, which may not be the lowest.
                    (best is not null && r.BestEpoch != best.Epoch && r.BestEpoch > 0 ? $" Later epochs improved on it by less than the tolerance ({Parsing.Number(o.Tolerance)})." : "") : ""));
        }
        Stored(io, d.Report);
        var table = Rendering.NewTable(io).AddColumn("column").AddColumn("kind").AddColumn("inputs").AddColumn("scaling / categories");
        foreach (var c in d.Table.Columns)
        {
            if (c.Kind == ColumnKind.Numeric)
            {
                table.AddRow(Markup.Escape(c.Name), "numeric", "1", $"(x - {Parsing.Number(c.Mean!.Value)}) / {Parsing.Number(c.Scale!.Value)}");
            }
            else if (c.Kind == ColumnKind.Date)
            {
                table.AddRow(Markup.Escape(c.Name), "date", "5", $"(days - {Parsing.Number(c.Mean!.Value)}) / {Parsing.Number(c.Scale!.Value)}; month, weekday as sin, cos");
            }
            else
            {
                var cats = c.Categories!;
                string shown = string.Join(", ", cats.Take(8)) + (cats.Count > 8 ? $", ... ({cats.Count} in all)" : "");
                table.AddRow(Markup.Escape(c.Name), "text (one-hot)", cats.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(shown));
            }
        }
        io.Console.Write(table);
        if (d.Intervals is { } intervals)
            io.Out.WriteLine($"Intervals:    {intervals.Method} from {Rendering.Noun(intervals.Targets[0].Folds.Sum(f => f.Rows), "out-of-fold residual")} in {Rendering.Noun(intervals.Targets[0].Folds.Count, "fold")} (predict --interval 0.9)");
        if (model.Importance is { } importance)
            Rendering.Importance(io, importance);
        return ExitCodes.Ok;
    }

    // The data summary and scores the training run kept in the file.
    private static void Stored(Io io, ReportDocument? report)
    {
        if (report is null)
        {
            io.Out.WriteLine("Scores:       none stored (the file was written before models kept their scores, or without a fit)");
            return;
        }
        var data = report.Data;
        io.Out.WriteLine($"Data:         {data.File}: {data.Rows} rows, {Rendering.Noun(data.Inputs, "input")} from {Rendering.Noun(data.Columns, "column")}; " +
            (data.Folds > 0 ? $"{data.TrainRows} in {data.Folds}-fold cross-validation, {data.TestRows} test" : $"{data.TrainRows} train, {data.ValidationRows} validation, {data.TestRows} test") + (data.DroppedRows > 0 ? $", {data.DroppedRows} left out for missing values" : "") + (data.Streamed ? " (streamed)" : ""));
        io.Out.WriteLine("Scores:       " + (report.Scores.Count == 0 ? "none" : string.Join("; ", report.Scores.Select(s =>
            $"{s.Part} (n {s.Rows}) R2 {Parsing.Number(s.R2)}, RMSE {Parsing.Number(s.Rmse)}, MAE {Parsing.Number(s.Mae)}"))));
        if (report.Search is { } search)
        {
            io.Out.WriteLine($"Search:       {search.Leaderboard.Count} candidates, {search.Folds}-fold cross-validation, {search.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s" +
                (search.BudgetCut ? $" (the {search.BudgetSeconds.ToString("F0", CultureInfo.InvariantCulture)} s budget cut it short)" : "") + "; best first:");
            foreach (var e in search.Leaderboard)
                io.Out.WriteLine($"              {(e.Chosen ? "* " : "  ")}{e.Candidate}: {e.Note ?? $"R2 {Parsing.Number(e.R2)}, RMSE {Parsing.Number(e.Rmse)}"} on {e.Folds} folds, {e.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s");
            io.Out.WriteLine("Folds:        " + string.Join("; ", search.FoldScores.Select(s => $"{s.Part} (n {s.Rows}) R2 {Parsing.Number(s.R2)}, RMSE {Parsing.Number(s.Rmse)}")));
        }
        foreach (var warning in report.Warnings)
            io.Out.WriteLine("Warning:      " + warning);
    }
}
