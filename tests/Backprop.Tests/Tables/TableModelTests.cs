using System.Globalization;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Tables;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>The table model's API, and that the CLI's train, predict and evaluate are this API.</summary>
public sealed class TableModelTests : IDisposable
{
    private static readonly TableOptions Small = new() { Targets = ["target"], Search = SearchMode.None, HiddenLayers = [8], Epochs = 6, Seed = 5 };

    private readonly CliHarness _h = new();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    [Fact]
    public void Fit_reports_the_data_the_split_and_the_scores()
    {
        var progress = new List<TableProgress>();
        var model = TableModel.Fit(Diabetes, Small, new Recorder(progress));
        var report = model.Report;

        Assert.Equal(442, report.Data.Rows);
        Assert.Equal(10, report.Data.Inputs);
        Assert.Equal(10, report.Data.Columns);
        Assert.Equal(["target"], report.Data.Targets);
        Assert.Equal(88, report.Data.TestRows);
        Assert.Equal(442 - 88, report.Data.TrainRows + report.Data.ValidationRows);
        Assert.Equal(0, report.Data.DroppedRows);
        Assert.Equal(["train", "validation", "test"], report.Scores.Select(s => s.Name));
        Assert.Equal(report.Data.TestRows, report.Scores[2].Rows.Rows);
        Assert.Equal(model.Regressor.Score(report.Scores[2].Rows).R2, report.Scores[2].Scores.R2);
        Assert.Empty(report.Warnings);
        Assert.Equal(6, report.Result.EpochsRun);
        Assert.False(report.Diverged);

        // The data summary comes once, before the first epoch, and every epoch is reported.
        Assert.IsType<TableProgress.DataRead>(progress[0]);
        Assert.Equal(6, progress.OfType<TableProgress.Epoch>().Count());
    }

    [Fact]
    public void Warnings_and_dropped_rows_reach_the_report()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{(i == 7 ? "" : (i % 5).ToString(CultureInfo.InvariantCulture))},{i * 2}"));
        string path = _h.Write("gaps.csv", "a,b,y\n" + rows + "\n");
        var model = TableModel.Fit(path, new TableOptions { Targets = ["y"], Search = SearchMode.None, Missing = MissingPolicy.Drop, HiddenLayers = [4], Epochs = 2 });
        Assert.Equal(1, model.Report.Data.DroppedRows);

        string tiny = _h.Write("tiny.csv", "a,y\n1,2\n2,3\n");
        var few = TableModel.Fit(tiny, new TableOptions { Targets = ["y"], Search = SearchMode.None, HiddenLayers = [2], Epochs = 1 });
        Assert.Contains(few.Report.Warnings, w => w.Contains("no test rows set aside", StringComparison.Ordinal));
    }

    [Fact]
    public void Save_and_Load_give_bit_identical_predictions()
    {
        var model = TableModel.Fit(Diabetes, Small);
        string path = _h.PathOf("m.model.json");
        model.Save(path);
        var again = TableModel.Load(path);

        Assert.Equal(model.FeatureNames, again.FeatureNames);
        Assert.Equal(model.TargetNames, again.TargetNames);
        var test = model.Report.Scores[^1].Rows;
        Assert.Equal(model.Regressor.Predict(test.Inputs, test.Rows), again.Regressor.Predict(test.Inputs, test.Rows));
        Assert.False(again.HasReport);
        Assert.Throws<InvalidOperationException>(() => again.Report);
        Assert.Equal(model.TrainedOn, again.TrainedOn);
    }

    [Fact]
    public void PredictFile_writes_what_the_predict_command_writes()
    {
        string modelPath = _h.PathOf("m.model.json");
        TableModel.Fit(Diabetes, Small).Save(modelPath);
        var model = TableModel.Load(modelPath);

        var summary = model.PredictFile(Diabetes, _h.PathOf("library.csv"));
        var (code, _, _) = _h.Run("predict", modelPath, Diabetes, "--out", _h.PathOf("cli.csv"));

        Assert.Equal(0, code);
        Assert.Equal(442, summary.Rows);
        Assert.Empty(summary.Warnings);
        Assert.Equal(File.ReadAllText(_h.PathOf("cli.csv")), File.ReadAllText(_h.PathOf("library.csv")));
        Assert.StartsWith("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,target,target_predicted\n", File.ReadAllText(_h.PathOf("library.csv")));
    }

    [Fact]
    public void Predict_of_one_row_equals_that_row_of_PredictFile()
    {
        var model = TableModel.Fit(Diabetes, Small);
        var writer = new StringWriter();
        model.PredictFile(Diabetes, writer, onlyPredictions: true);
        var predicted = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var table = DataTable.Load(Diabetes);
        foreach (int row in new[] { 0, 17, 441 })
        {
            var fields = table.ColumnNames.Select((name, j) => (name, table[row, j])).ToDictionary(f => f.name, f => (string?)f.Item2);
            fields.Remove("target");
            double[] y = model.Predict(fields);
            // The file carries the digits of the model's (float) precision.
            Assert.Equal(predicted[row + 1], ((float)y[0]).ToString("R", CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Predict_of_a_row_without_a_needed_value_says_which()
    {
        var model = TableModel.Fit(Diabetes, Small with { Missing = MissingPolicy.Error });
        var row = DataTable.Load(Diabetes).ColumnNames.Where(n => n != "target").ToDictionary(n => n, _ => (string?)"1");
        row["bmi"] = null;
        var e = Assert.Throws<ArgumentException>(() => model.Predict(row));
        Assert.Contains("'bmi' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_equals_the_evaluate_command()
    {
        string modelPath = _h.PathOf("m.model.json");
        TableModel.Fit(Diabetes, Small).Save(modelPath);
        var scores = TableModel.Load(modelPath).Evaluate(Diabetes);

        var (code, output, _) = _h.Run("evaluate", modelPath, Diabetes);

        Assert.Equal(0, code);
        string expected = string.Join(" | ", new[] { scores.R2, scores.Rmse, scores.Mae }.Select(x => x.ToString("G6", CultureInfo.InvariantCulture)));
        string row = output.Split('\n').Single(l => l.Contains("diabetes.csv", StringComparison.Ordinal));
        string cells = string.Join(" | ", row.Split(['│', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(2));
        Assert.Equal(expected, cells);
    }

    [Fact]
    public void A_streamed_fit_is_the_same_kind_of_model()
    {
        var model = TableModel.Fit(Diabetes, Small with { Stream = true, ShuffleBuffer = 100 });
        Assert.True(model.Report.Data.Streamed);
        Assert.Equal(["validation"], model.Report.Scores.Select(s => s.Name));
        Assert.Equal(model.Report.Data.TrainRows, model.TrainedOn!.Rows);
        string path = _h.PathOf("s.model.json");
        model.Save(path);
        var validation = model.Report.Scores[0].Rows;
        Assert.Equal(model.Regressor.Predict(validation.Inputs, validation.Rows), TableModel.Load(path).Regressor.Predict(validation.Inputs, validation.Rows));
    }

    [Fact]
    public void A_resumed_fit_ends_where_the_uninterrupted_one_does()
    {
        string checkpoint = _h.PathOf("run.ckpt.json");
        var whole = TableModel.Fit(Diabetes, Small);
        TableModel.Fit(Diabetes, Small with { Checkpoint = checkpoint, CheckpointEvery = 4 });
        var resumed = TableModel.Fit(Diabetes, Small with { Resume = checkpoint, Threads = 1 });

        Assert.Equal(whole.Regressor.GetParameters(), resumed.Regressor.GetParameters());
        Assert.Equal(whole.Report.Result, resumed.Report.Result);
    }

    [Fact]
    public void Load_names_the_file_when_encoding_and_network_disagree()
    {
        string path = _h.PathOf("m.model.json");
        TableModel.Fit(Diabetes, Small).Save(path);
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        document["table"]!["columns"]!.AsArray().RemoveAt(0);
        File.WriteAllText(path, document.ToJsonString());

        var e = Assert.Throws<Serialization.ModelFormatException>(() => TableModel.Load(path));
        Assert.Equal("m.model.json: the table encoding gives 9 inputs but the network takes 10; the file was edited or damaged.", e.Message);
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_fit_cancelled_before_its_first_epoch_has_no_model_to_save()
    {
        var model = TableModel.Fit(Diabetes, Small, cancellationToken: new CancellationToken(canceled: true));

        Assert.True(model.Report.Interrupted);
        Assert.False(model.Report.HasTrainedModel);
        Assert.Throws<InvalidOperationException>(() => model.Save(_h.PathOf("never.model.json")));
        Assert.False(File.Exists(_h.PathOf("never.model.json")));
    }

    [Fact]
    public void The_model_file_keeps_the_fit_s_data_summary_and_scores()
    {
        var model = TableModel.Fit(Diabetes, Small);
        string path = _h.PathOf("kept.model.json");
        model.Save(path);

        var stored = TableModel.Load(path).ToDocument().Report!;

        Assert.Equal(model.Report.Scores.Select(s => (s.Name, s.Rows.Rows, s.Scores.R2, s.Scores.Rmse, s.Scores.Mae)),
            stored.Scores.Select(s => (s.Part, s.Rows, s.R2, s.Rmse, s.Mae)));
        Assert.Equal(model.Report.Scores[^1].Scores.PerTarget[0].R2, stored.Scores[^1].Targets.Single(t => t.Target == "target").R2);
        Assert.Equal((model.Report.Data.TrainRows, model.Report.Data.ValidationRows, model.Report.Data.TestRows), (stored.Data.TrainRows, stored.Data.ValidationRows, stored.Data.TestRows));
        Assert.Equal("diabetes.csv", stored.Data.File);
        Assert.Equal(model.Report.Warnings, stored.Warnings);
    }

    private sealed class Recorder(List<TableProgress> seen) : IProgress<TableProgress>
    {
        public void Report(TableProgress value) => seen.Add(value);
    }
}
