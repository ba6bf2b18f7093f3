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
            string split = d.Folds > 0
                ? $"Rows: {d.TrainRows} in {d.Folds}-fold cross-validation (each fold's network stops early on its held-out fold), {d.TestRows} test"
                : $"Rows: {d.TrainRows} train, {d.ValidationRows} validation, {d.TestRows} test";
            info.WriteLine(split + (d.DroppedRows == 0 ? "" : $" ({d.DroppedRows} rows with missing values left out)") + ".");
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

    /// <summary>The search's leaderboard (the best ten), its time, and which candidate the model is.</summary>
    public static void Leaderboard(Io io, TextWriter info, SearchReport search)
    {
        if (info == TextWriter.Null)
            return;
        var board = search.Leaderboard;
        info.WriteLine($"Search: {Noun(board.Count, "candidate")}, {search.Folds}-fold cross-validation, {search.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s " +
            $"(budget {search.Budget.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s{(search.BudgetCut ? ", which cut it short" : "")}).");
        var table = NewTable(io).AddColumn("").AddColumn("candidate").AddColumn(new TableColumn("folds").RightAligned())
            .AddColumn(new TableColumn("R2 out-of-fold").RightAligned()).AddColumn(new TableColumn("RMSE").RightAligned()).AddColumn(new TableColumn("time").RightAligned());
        foreach (var e in board.Take(10))
        {
            table.AddRow(e.Chosen ? "*" : "", Markup.Escape(e.Candidate.Name), e.Folds.ToString(CultureInfo.InvariantCulture),
                e.Note ?? F(e.R2), e.Note is null ? F(e.Rmse) : "", e.Seconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
        }
        io.Console.Write(table);
        if (board.Count > 10)
            info.WriteLine($"({board.Count - 10} more in the model file; 'backprop inspect --json' lists them.)");
        if (search.Chosen is { } chosen)
            info.WriteLine($"Chose {chosen.Name}: the model averages its {search.Folds} fold networks.");
    }

    /// <summary>How much the chosen candidate's score moved from fold to fold.</summary>
    public static string FoldSpread(SearchReport search)
    {
        var r2 = search.FoldScores.Select(f => f.Scores.R2).ToArray();
        if (r2.Length == 0)
            return "";
        double mean = r2.Average(), sd = Math.Sqrt(r2.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, r2.Length - 1));
        var rmse = search.FoldScores.Select(f => f.Scores.Rmse).ToArray();
        return $"Out-of-fold scores are of every training row, predicted by the fold network that did not train on it. Over the {r2.Length} folds: " +
            $"R2 {F(r2.Min())} to {F(r2.Max())} (sd {F(sd)}), RMSE {F(rmse.Min())} to {F(rmse.Max())}.";
    }

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
        using var bar = io.LiveDisplay && !quiet ? new LiveBar(io) : null;
        var clock = new Stopwatch();
        var last = TimeSpan.Zero;
        int every = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        void Epoch(EpochRecord r)
        {
            if (quiet)
                return;
            if (bar is not null)
            {
                bar.Show(r.Epoch, epochs, $"epoch {r.Epoch}/{epochs}  train {Parsing.Number(r.TrainLoss)}" + (r.ValidationLoss is { } v ? $"  validation {Parsing.Number(v)}" : ""));
            }
            else if (io.Verbose || r.Epoch % every == 0 || r.Epoch == 1 || clock.Elapsed - last > TimeSpan.FromSeconds(5))
            {
                last = clock.Elapsed;
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {r.Epoch}/{epochs}  train loss {Parsing.Number(r.TrainLoss)}{(r.ValidationLoss is { } v ? "  validation loss " + Parsing.Number(v) : "")}  {clock.Elapsed.TotalSeconds:F1}s"));
            }
        }
        void Searching(TableProgress.Searching s)
        {
            if (quiet)
                return;
            string text = string.Create(CultureInfo.InvariantCulture,
                $"search round {s.Round}/{s.Rounds}: {s.FitsDone}/{s.FitsTotal} networks  {s.Elapsed.TotalSeconds:F1}s, about {s.Remaining.TotalSeconds:F0}s left");
            if (bar is not null)
                bar.Show(s.FitsDone, s.FitsTotal, text);
            else if (io.Verbose || s.FitsDone == s.FitsTotal || clock.Elapsed - last > TimeSpan.FromSeconds(2))
            {
                last = clock.Elapsed;
                io.Out.WriteLine(text);
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
                case TableProgress.Searching s:
                    Searching(s);
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
    /// The terminal's progress bar. It starts at the first report, once the data summary is printed,
    /// and runs on a thread of its own because Spectre's live display holds the thread it starts on.
    /// </summary>
    private sealed class LiveBar(Io io) : IDisposable
    {
        private readonly ManualResetEventSlim _started = new();
        private readonly ManualResetEventSlim _done = new();
        private Task? _display;
        private ProgressTask? _task;

        public void Show(double value, double max, string description)
        {
            string text = Markup.Escape(description);
            if (_display is null)
            {
                _display = Task.Run(() => io.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        _task = ctx.AddTask(text, maxValue: max);
                        _started.Set();
                        _done.Wait();
                        _task.Value = _task.MaxValue;
                    }));
                // If the display fails before it starts, its failure surfaces here rather than a wait for ever.
                while (!_started.Wait(TimeSpan.FromMilliseconds(50)))
                {
                    if (_display.IsCompleted)
                        _display.GetAwaiter().GetResult();
                }
            }
            if (_task!.MaxValue != max)
                _task.MaxValue = max;
            _task.Value = value;
            _task.Description = text;
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
