using System.Diagnostics;
using System.Globalization;
using Backprop.Serialization;
using Backprop.Tables;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary>How every command shows results: the metrics table, the data summary, training progress, warnings.</summary>
internal static class Rendering
{
    /// <summary>One table row per part (and per target when there are several): n, R2, RMSE, MAE.</summary>
    public static void Metrics(Io io, IReadOnlyList<string> targets, IEnumerable<ScoredRows> parts)
    {
        var table = NewTable(io).AddColumn("rows").AddColumn(new TableColumn("n").RightAligned());
        bool perTarget = targets.Count > 1;
        if (perTarget)
            table.AddColumn("target");
        table.AddColumn(new TableColumn("R2").RightAligned()).AddColumn(new TableColumn("RMSE").RightAligned()).AddColumn(new TableColumn("MAE").RightAligned());
        foreach (var part in parts)
        {
            var score = part.Scores;
            if (perTarget)
            {
                for (int k = 0; k < targets.Count; k++)
                {
                    var (r2, rmse, mae) = score.PerTarget[k];
                    table.AddRow(k == 0 ? part.Name : "", k == 0 ? Count(part.Rows.Rows) : "", Markup.Escape(targets[k]), F(r2), F(rmse), F(mae));
                }
                table.AddRow("", "", "overall", F(score.R2), F(score.Rmse), F(score.Mae));
            }
            else
            {
                table.AddRow(part.Name, Count(part.Rows.Rows), F(score.R2), F(score.Rmse), F(score.Mae));
            }
        }
        io.Console.Write(table);
    }

    /// <summary>
    /// The columns that matter most, as the permutation importance measured them on out-of-fold rows:
    /// the first <paramref name="top"/> with their drop in R^2 and rise in MSE, each with its spread.
    /// </summary>
    public static void Importance(Io io, ImportanceDocument importance, int top = 10)
    {
        var shown = importance.Columns.Take(top).ToArray();
        string which = importance.Columns.Count > shown.Length ? $"top {shown.Length} of {importance.Columns.Count} columns" : Noun(shown.Length, "column");
        io.Out.WriteLine($"Column importance ({which}): the loss of accuracy when the column is shuffled among out-of-fold rows, mean ± sd over {importance.Folds} folds x {importance.Repeats}.");
        var table = NewTable(io).AddColumn("column")
            .AddColumn(new TableColumn("R2 drop").RightAligned()).AddColumn(new TableColumn("±").RightAligned())
            .AddColumn(new TableColumn("MSE rise").RightAligned()).AddColumn(new TableColumn("±").RightAligned());
        foreach (var c in shown)
            table.AddRow(Markup.Escape(c.Column), F(c.R2Drop), F(c.R2DropSd), F(c.MseRise), F(c.MseRiseSd));
        io.Console.Write(table);
    }

    /// <summary>A table with box-drawing borders on a terminal, and plain ASCII (<c>+---+</c>, <c>| a |</c>) when stdout is a file or a pipe.</summary>
    public static Table NewTable(Io io)
    {
        var table = new Table();
        if (!io.Interactive)
            table.Border(TableBorder.Ascii);
        return table;
    }

    /// <summary>The lines that say what was read from the training file and how it was split.</summary>
    public static void DataSummary(TextWriter info, DataSummary d)
    {
        string file = Path.GetFileName(d.File);
        string targets = string.Join(", ", d.Targets);
        if (d.Streamed)
        {
            info.WriteLine($"{file}: streaming, {Noun(d.Inputs, "input")} from {Noun(d.Columns, "column")}, target {targets}; " +
                $"{d.ValidationRows} validation rows held in memory, chunks of {d.ShuffleBuffer} rows.");
        }
        else
        {
            info.WriteLine($"{file}: {d.Rows} rows, {Noun(d.Inputs, "input")} from {Noun(d.Columns, "column")}, target {targets}.");
            info.WriteLine($"Rows: {d.TrainRows} train, {d.ValidationRows} validation, {d.TestRows} test" +
                (d.DroppedRows == 0 ? "" : $" ({d.DroppedRows} rows with missing values left out)") + ".");
        }
        if (d.Missing.Describe() is { } missing)
            info.WriteLine(missing);
    }

    /// <summary>Why training stopped, in one sentence.</summary>
    public static string StopSummary(TrainingResult r, TimeSpan? timeBudget) => r.Reason switch
    {
        StopReason.EarlyStopping => $"Stopped early after {r.EpochsRun} epochs: the validation loss stopped improving; kept epoch {r.BestEpoch}.",
        StopReason.EpochLimit => $"Ran all {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        StopReason.Converged => $"Converged after {r.EpochsRun} epochs.",
        StopReason.TimeBudget => $"Time budget ({timeBudget}) ran out after {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        StopReason.Cancelled => $"Cancelled after {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        _ => $"Stopped after {r.EpochsRun} epochs ({r.Reason}).",
    };

    public static void Warn(Io io, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
            io.Warn(warning);
    }

    /// <summary>
    /// Runs a fit, showing what it reports: warnings always; unless quiet, the data summary, a resume
    /// note and the epochs, as a live bar on a terminal or a line every tenth of the run otherwise.
    /// </summary>
    public static T Fitting<T>(Io io, int epochs, bool quiet, Func<IProgress<TableProgress>, T> fit)
    {
        var info = quiet ? TextWriter.Null : io.Out;
        using var bar = io.Interactive && !quiet ? new LiveBar(io, epochs) : null;
        var clock = new Stopwatch();
        var last = TimeSpan.Zero;
        int every = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        void Epoch(EpochRecord r)
        {
            if (quiet)
                return;
            if (bar is not null)
            {
                bar.Show(r);
            }
            else if (io.Verbose || r.Epoch % every == 0 || r.Epoch == 1 || clock.Elapsed - last > TimeSpan.FromSeconds(5))
            {
                last = clock.Elapsed;
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {r.Epoch}/{epochs}  train loss {Parsing.Number(r.TrainLoss)}{(r.ValidationLoss is { } v ? "  validation loss " + Parsing.Number(v) : "")}  {clock.Elapsed.TotalSeconds:F1}s"));
            }
        }
        return fit(new Reporter(p =>
        {
            switch (p)
            {
                case TableProgress.Warning w:
                    io.Warn(w.Message);
                    break;
                case TableProgress.Notice n:
                    io.Note(n.Message);
                    break;
                case TableProgress.DataRead d:
                    DataSummary(info, d.Data);
                    clock.Start();
                    break;
                case TableProgress.Resuming r:
                    info.WriteLine($"Resuming from {r.Checkpoint} after epoch {r.EpochsCompleted}.");
                    break;
                case TableProgress.Epoch e:
                    Epoch(e.Record);
                    break;
            }
        }));
    }

    // "1 input", "10 inputs".
    public static string Noun(int n, string word) => $"{Count(n)} {word}{(n == 1 ? "" : "s")}";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string F(double x) => Parsing.Number(x);

    /// <summary>Reports on the training thread itself (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class Reporter(Action<TableProgress> report) : IProgress<TableProgress>
    {
        public void Report(TableProgress value) => report(value);
    }

    /// <summary>
    /// The terminal's progress bar. It starts at the first epoch, once the data summary is printed,
    /// and runs on a thread of its own because Spectre's live display holds the thread it starts on.
    /// </summary>
    private sealed class LiveBar(Io io, int epochs) : IDisposable
    {
        private readonly ManualResetEventSlim _started = new();
        private readonly ManualResetEventSlim _done = new();
        private Task? _display;
        private ProgressTask? _task;

        public void Show(EpochRecord r)
        {
            if (_display is null)
            {
                _display = Task.Run(() => io.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        _task = ctx.AddTask("epoch 0", maxValue: epochs);
                        _started.Set();
                        _done.Wait();
                        _task.Value = epochs;
                    }));
                _started.Wait();
            }
            _task!.Value = r.Epoch;
            _task.Description = $"epoch {r.Epoch}/{epochs}  train {Parsing.Number(r.TrainLoss)}" +
                (r.ValidationLoss is { } v ? $"  validation {Parsing.Number(v)}" : "");
        }

        public void Dispose()
        {
            _done.Set();
            _display?.GetAwaiter().GetResult();
            _started.Dispose();
            _done.Dispose();
        }
    }
}
