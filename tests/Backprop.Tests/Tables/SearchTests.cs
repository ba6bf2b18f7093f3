using System.Text.Json.Nodes;
using Backprop.Activations;
using Backprop.Regression;
using Backprop.Tables;
using Backprop.Tables.Search;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>
/// The default fit: the search is deterministic whatever the thread count, its model averages the
/// chosen candidate's fold networks, its leaderboard and out-of-fold scores travel in the model
/// file, and the cross-validation it keeps is the one the scores come from.
/// </summary>
public sealed class SearchTests : IDisposable
{
    /// <summary>Two candidates, one going on to every fold: both rounds run, in well under a second.</summary>
    internal static readonly SearchSpace Tiny = new(
        [
            new(Activation.Tanh, [6], 3e-3, 0, TargetTransform.None),
            new(Activation.Relu, [8], 3e-3, 1e-4, TargetTransform.None),
        ],
        FirstRoundFolds: 2,
        FirstRoundEpochShare: 0.5,
        Finalists: 1);

    internal static readonly TableOptions Options = new() { Targets = ["target"], Epochs = 8, Seed = 11, Space = Tiny, TimeBudget = TimeSpan.FromHours(1) };

    private readonly CliHarness _h = new();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    public void Dispose() => _h.Dispose();

    [Fact]
    public void The_whole_search_is_bit_identical_on_one_thread_and_on_two()
    {
        string one = _h.PathOf("one.model.json"), two = _h.PathOf("two.model.json");
        TableModel.Fit(Diabetes, Options with { Threads = 1 }).Save(one);
        TableModel.Fit(Diabetes, Options with { Threads = 2 }).Save(two);

        Assert.Equal(Timeless(one), Timeless(two));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(one))!["members"]);
    }

    [Fact]
    public void The_model_averages_its_fold_networks()
    {
        var model = TableModel.Fit(Diabetes, Options);
        var rows = model.Report.Scores[0].Rows;

        Assert.Equal(5, model.Members.Count);
        var members = model.Members.Select(m => m.Predict(rows.Inputs, rows.Rows)).ToArray();
        var mean = new double[members[0].Length];
        for (int i = 0; i < mean.Length; i++)
        {
            foreach (var m in members)
                mean[i] += m[i];
            mean[i] /= members.Length;
        }
        Assert.Equal(mean, model.Predict(rows.Inputs, rows.Rows));
        var e = Assert.Throws<InvalidOperationException>(() => model.Regressor);
        Assert.Contains("averages 5 networks", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_target_is_averaged_in_the_target_s_units()
    {
        var model = TableModel.Fit(Diabetes, Options with { TargetTransform = TargetTransform.Log });
        var rows = model.Report.Scores[0].Rows;

        Assert.Equal(TargetTransform.Log, model.TargetTransform);
        Assert.All(model.Report.Search!.Leaderboard, e => Assert.Equal(TargetTransform.Log, e.Candidate.Transform));
        var exp = model.Members.Select(m => m.Predict(rows.Inputs, rows.Rows).Select(Math.Exp).ToArray()).ToArray();
        var mean = Enumerable.Range(0, exp[0].Length).Select(i => exp.Sum(m => m[i]) / exp.Length).ToArray();
        var predicted = model.Predict(rows.Inputs, rows.Rows);
        for (int i = 0; i < mean.Length; i++)
            Assert.Equal(mean[i], predicted[i], 1e-9 * mean[i]);
        Assert.InRange(model.Report.Scores[0].Scores.R2, 0.2, 0.7);
    }

    [Fact]
    public void The_scores_are_out_of_fold_and_the_cross_validation_behind_them_is_kept()
    {
        var model = TableModel.Fit(Diabetes, Options);
        var report = model.Report;
        var cv = model.CrossValidation!;

        Assert.Equal(["out-of-fold"], report.Scores.Select(s => s.Name));
        Assert.Equal(0, report.Data.TestRows);
        Assert.Equal(442, report.Data.TrainRows);
        Assert.Equal(5, report.Data.Folds);
        // Every row is held out by exactly one fold, and predicted there by the network that never saw it.
        Assert.Equal(Enumerable.Range(0, 442), cv.HeldOut.SelectMany(f => f).Order());
        for (int k = 0; k < 5; k++)
        {
            var held = cv.HeldOutRows(k);
            var predicted = cv.PredictFold(k, held.Inputs, held.Rows);
            Assert.Equal(cv.HeldOut[k].Select(i => cv.OutOfFold[i]), predicted);
            Assert.Equal(Triple(report.Search!.FoldScores[k].Scores), Triple(RegressionScores.Compute(predicted, held.Targets, 1)));
        }
        Assert.Equal(Triple(report.Scores[0].Scores), Triple(RegressionScores.Compute(cv.OutOfFold, cv.Rows.Targets, 1)));
        // The ensemble on rows its members trained on scores better than any member out of fold.
        Assert.True(model.Score(cv.Rows).R2 > report.Scores[0].Scores.R2);
    }

    [Fact]
    public void The_leaderboard_and_the_fold_scores_are_kept_in_the_model_file()
    {
        var model = TableModel.Fit(Diabetes, Options);
        string path = _h.PathOf("m.model.json");
        model.Save(path);
        var loaded = TableModel.Load(path);
        var search = loaded.ToDocument().Report!.Search!;

        Assert.Equal(2, loaded.ToDocument().Version);
        Assert.Equal(5, loaded.Members.Count);
        Assert.Equal(5, search.Folds);
        Assert.Equal(model.Report.Search!.Leaderboard.Select(e => (e.Candidate.Name, e.Round, e.Folds, e.R2, e.Chosen)),
            search.Leaderboard.Select(e => (e.Candidate, e.Round, e.Folds, e.R2, e.Chosen)));
        Assert.Single(search.Leaderboard, e => e.Chosen);
        Assert.Equal(["fold 1", "fold 2", "fold 3", "fold 4", "fold 5"], search.FoldScores.Select(f => f.Part));
        var rows = model.Report.Scores[0].Rows;
        Assert.Equal(model.Predict(rows.Inputs, rows.Rows), loaded.Predict(rows.Inputs, rows.Rows));
    }

    [Fact]
    public void Train_prints_the_leaderboard_and_json_carries_it()
    {
        string model = _h.PathOf("m.model.json");
        var (code, output, err) = _h.Run("train", Diabetes, "--target", "target", "--epochs", "8", "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("5-fold cross-validation", output, StringComparison.Ordinal);
        Assert.Contains("out-of-fold", output, StringComparison.Ordinal);
        Assert.Contains("Chose ", output, StringComparison.Ordinal);

        var (jcode, json, jerr) = _h.Run("inspect", model, "--json");
        Assert.True(jcode == 0, jerr);
        var document = JsonNode.Parse(json)!;
        Assert.Equal(5, (int)document["members"]!);
        var board = document["report"]!["search"]!["leaderboard"]!.AsArray();
        Assert.True(board.Count >= 8);
        Assert.Single(board, e => (bool)e!["chosen"]!);
        Assert.Equal("out-of-fold", (string?)document["report"]!["scores"]![0]!["part"]);
    }

    [Fact]
    public void A_terminal_shows_the_search_s_progress_and_time_left()
    {
        var (code, shown) = CliHarness.RunOnTerminal("train", Diabetes, "--target", "target", "--epochs", "4", "--no-plots", "--out", _h.PathOf("m.model.json"));

        Assert.Equal(0, code);
        Assert.Contains("search round 2/2: 31/31 networks", shown, StringComparison.Ordinal);
        Assert.Contains("left", shown, StringComparison.Ordinal);
        Assert.True(shown.IndexOf("Rows: ", StringComparison.Ordinal) < shown.IndexOf("search round", StringComparison.Ordinal), "the data summary comes before the bar");
        Assert.Contains("Chose ", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_none_trains_today_s_single_network()
    {
        var options = new TableOptions { Targets = ["target"], Search = SearchMode.None, HiddenLayers = [8], Epochs = 6, Seed = 5 };
        var model = TableModel.Fit(Diabetes, options);

        Assert.Single(model.Members);
        Assert.Null(model.Report.Search);
        Assert.Equal(["train", "validation", "test"], model.Report.Scores.Select(s => s.Name));
        Assert.Same(model.Members[0], model.Regressor);
        // Fixtures/diabetes-search-none.model.json was written by 'backprop train' before the search
        // existed (commit ae71aca) with these options: the same weights, bit for bit.
        var fixture = TableModel.Load(Path.Combine(AppContext.BaseDirectory, "Tables", "Fixtures", "diabetes-search-none.model.json"));
        Assert.Equal(fixture.Regressor.GetParameters(), model.Regressor.GetParameters());
    }

    [Fact]
    public void Options_the_search_chooses_are_refused_with_it_and_named()
    {
        var e = Assert.Throws<TableOptionsException>((Options with { HiddenLayers = [32] }).Validate);
        Assert.Equal("HiddenLayers is chosen by the search; to train one network with it, turn the search off (Search none).", e.Message);
        Assert.Throws<TableOptionsException>((Options with { Activation = Activation.Relu }).Validate);
        (Options with { Search = SearchMode.None, HiddenLayers = [32] }).Validate();
        var stream = Assert.Throws<TableOptionsException>((Options with { Stream = true, TargetTransform = TargetTransform.Log }).Validate);
        Assert.Equal(["TargetTransform", "Stream"], stream.Options);
        Assert.Throws<TableOptionsException>((Options with { Search = (SearchMode)7 }).Validate);
        // Streaming, checkpoints and resumes train one network, so the network options are theirs.
        Assert.False((Options with { Stream = true }).Searches);
        (Options with { Stream = true, HiddenLayers = [32] }).Validate();
    }

    [Fact]
    public void A_log_target_needs_positive_values()
    {
        string path = _h.Write("neg.csv", "a,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i},{i - 3}")) + "\n");
        var e = Assert.Throws<Backprop.Data.DataFormatException>(() => TableModel.Fit(path, new TableOptions { Targets = ["y"], TargetTransform = TargetTransform.Log, Space = Tiny }));
        Assert.Contains("every target value must be positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_is_offered_only_to_a_positive_skewed_target()
    {
        double[] skewed = [.. Enumerable.Range(1, 200).Select(i => Math.Exp(i / 30.0))];
        double[] even = [.. Enumerable.Range(1, 200).Select(i => (double)i)];
        Assert.True(TargetTransforms.PositiveAndSkewed(skewed, 1));
        Assert.False(TargetTransforms.PositiveAndSkewed(even, 1));
        Assert.False(TargetTransforms.PositiveAndSkewed([.. skewed.Select(v => v - 2)], 1));
        Assert.Equal(2 * Tiny.Networks.Count, Tiny.CandidatesFor(TargetTransform.Auto, logOffered: true).Count);
        Assert.Equal(Tiny.Networks.Count, Tiny.CandidatesFor(TargetTransform.Auto, logOffered: false).Count);
    }

    [Fact]
    public void Explain_and_gradcheck_of_a_log_target_model_need_a_positive_target()
    {
        string model = _h.PathOf("log.model.json");
        TableModel.Fit(Diabetes, new TableOptions { Targets = ["target"], Search = SearchMode.None, TargetTransform = TargetTransform.Log, HiddenLayers = [4], Epochs = 2 }).Save(model);
        var lines = File.ReadAllLines(Diabetes);
        string negative = _h.Write("negative.csv", lines[0] + "\n" + lines[1][..lines[1].LastIndexOf(',')] + ",-5\n");

        var (code, output, err) = _h.Run("explain", model, Diabetes);
        Assert.True(code == 0, err);
        Assert.Contains("log, then standardized", output, StringComparison.Ordinal);
        foreach (var command in new[] { "explain", "gradcheck" })
        {
            (code, _, err) = _h.Run(command, model, negative);
            Assert.Equal(2, code);
            Assert.Contains("trained on the log of its target, so a target of 0 or less cannot be explained or checked", err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Folds_cover_every_row_once_and_shrink_for_small_tables()
    {
        var plan = new FoldPlan(23, 5, seed: 1);
        Assert.Equal(Enumerable.Range(0, 23), Enumerable.Range(0, 5).SelectMany(plan.HeldOut).Order());
        Assert.All(Enumerable.Range(0, 5), k => Assert.Equal(23, plan.HeldOut(k).Length + plan.Train(k).Length));
        Assert.All(Enumerable.Range(0, 5), k => Assert.InRange(plan.HeldOut(k).Length, 4, 5));
        Assert.Null(FoldPlan.FoldsFor(3));
        Assert.Equal(2, FoldPlan.FoldsFor(20));
        Assert.Equal(5, FoldPlan.FoldsFor(442));
    }

    [Fact]
    public void A_table_too_small_to_cross_validate_trains_one_network_and_says_so()
    {
        string tiny = _h.Write("tiny.csv", "a,y\n1,2\n2,3\n3,5\n");
        var model = TableModel.Fit(tiny, new TableOptions { Targets = ["y"], Epochs = 2 });
        Assert.Null(model.Report.Search);
        Assert.Contains(model.Report.Warnings, w => w.Contains("too few to cross-validate", StringComparison.Ordinal));
    }

    private static (double, double, double) Triple(RegressionScores s) => (s.R2, s.Rmse, s.Mae);

    // The saved file without what differs between identical runs: when it was written and how long things took.
    private static string Timeless(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var key in new[] { "created", "seconds" })
                    o.Remove(key);
                foreach (var (_, child) in o)
                    Strip(child);
            }
            else if (n is JsonArray a)
            {
                foreach (var child in a)
                    Strip(child);
            }
        }
    }
}
