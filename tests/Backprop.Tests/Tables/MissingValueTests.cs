using System.Globalization;
using System.Text;
using Backprop.Data.Columns;
using Backprop.Tables;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>
/// Missing values through the table model: train, report, save, predict, evaluate and stream under
/// the default policy, and the older policies and model files unchanged.
/// </summary>
public sealed class MissingValueTests : IDisposable
{
    private static readonly TableOptions Small = new() { Targets = ["y"], Search = SearchMode.None, HiddenLayers = [6], Epochs = 4, Seed = 3 };

    private readonly CliHarness _h = new();

    // 200 rows: 'x' empty in every 9th row (23 cells), 'z' never empty, 'kind' empty in every 13th row
    // (16 cells), the target empty in every 40th row (5 rows).
    private string Gappy()
    {
        var sb = new StringBuilder("x,z,kind,y\n");
        string[] kinds = ["a", "b", "c"];
        for (int i = 0; i < 200; i++)
        {
            double x = (i * 37 % 101) / 10.0, z = i % 17;
            string y = i % 40 == 5 ? "" : (3 * x + z + 5 * (i % 3)).ToString(CultureInfo.InvariantCulture);
            sb.Append(i % 9 == 4 ? "" : x.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(z.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(i % 13 == 6 ? "" : kinds[i % 3]).Append(',').Append(y).Append('\n');
        }
        return _h.Write("gappy.csv", sb.ToString());
    }

    [Fact]
    public void The_default_fit_leaves_out_empty_targets_fills_features_and_reports_both()
    {
        var model = TableModel.Fit(Gappy(), Small);
        var data = model.Report.Data;

        Assert.Equal(5, data.DroppedRows);
        Assert.Equal(195, data.TrainRows + data.ValidationRows + data.TestRows);
        Assert.Equal(5, data.Missing.TargetRows);
        Assert.Equal(0, data.Missing.FeatureRows);
        // Cells are counted over the rows kept (with a target): row 85 and 165 lack x and have a target, ...
        var rows = Enumerable.Range(0, 200).Where(i => i % 40 != 5).ToArray();
        Assert.Equal(new Dictionary<string, long> { ["x"] = rows.Count(i => i % 9 == 4), ["kind"] = rows.Count(i => i % 13 == 6) }, data.Missing.FilledCells);
        Assert.Contains("x_missing", model.FeatureNames);
        Assert.Contains("kind=(missing)", model.FeatureNames);
        Assert.DoesNotContain("z_missing", model.FeatureNames);
        Assert.Equal(
            $"Missing values: 5 targets (rows left out); {data.Missing.FilledCells.Values.Sum()} cells in 2 columns filled with the training median (text: category (missing)): " +
            $"x ({data.Missing.FilledCells["x"]}), kind ({data.Missing.FilledCells["kind"]}).",
            data.Missing.Describe());
    }

    [Fact]
    public void A_saved_model_predicts_rows_with_empty_fields_in_any_column()
    {
        string modelPath = _h.PathOf("m.model.json");
        TableModel.Fit(Gappy(), Small).Save(modelPath);
        var model = TableModel.Load(modelPath);
        Assert.Equal(MissingPolicy.Impute, model.Encoder.Missing);

        // 'x' had empty fields in training, 'z' had none; the last row lacks everything.
        string input = _h.Write("new.csv", "x,z,kind\n,3,a\n2,,b\n2,3,\n,,\n2,3,a\n");
        var writer = new StringWriter();
        var summary = model.PredictFile(input, writer, onlyPredictions: true);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, summary.Rows);
        Assert.Equal(0, summary.DroppedRows);
        Assert.All(lines.Skip(1), l => Assert.True(double.IsFinite(double.Parse(l, CultureInfo.InvariantCulture)), l));
        Assert.Contains(summary.Warnings, w => w.StartsWith("6 empty field(s) were filled as in training", StringComparison.Ordinal) && w.Contains("x (2), z (2), kind (2)", StringComparison.Ordinal));
        var one = model.Predict(new Dictionary<string, string?> { ["x"] = null, ["z"] = "", ["kind"] = null });
        Assert.Equal(float.Parse(lines[4], CultureInfo.InvariantCulture), (float)one[0]); // a float model writes float digits
        // A filled value is not the same input as a real one: the indicator is set.
        Assert.NotEqual(float.Parse(lines[1], CultureInfo.InvariantCulture), (float)model.Predict(new Dictionary<string, string?> { ["x"] = model.Encoder.State.Columns[0].Fill!.Value.ToString("R", CultureInfo.InvariantCulture), ["z"] = "3", ["kind"] = "a" })[0]);
    }

    [Fact]
    public void Evaluate_scores_the_rows_with_a_target_and_fills_the_features()
    {
        var model = TableModel.Fit(Gappy(), Small);
        var scores = model.EvaluateFile(Gappy());
        Assert.Equal(195, scores.Scored.Rows.Rows);
        Assert.Equal(5, scores.DroppedRows);
        Assert.Contains(scores.Warnings, w => w.Contains("were filled as in training", StringComparison.Ordinal));
    }

    [Fact]
    public void A_streamed_fit_fills_and_reports_as_a_loaded_one()
    {
        string path = Gappy();
        var loaded = TableModel.Fit(path, Small with { TestFraction = 0 });
        var streamed = TableModel.Fit(path, Small with { Stream = true });

        Assert.Equal(loaded.FeatureNames, streamed.FeatureNames);
        Assert.Equal(loaded.Report.Data.Missing.FilledCells, streamed.Report.Data.Missing.FilledCells);
        Assert.Equal(5, streamed.Report.Data.Missing.TargetRows);
        Assert.Equal(
            loaded.Encoder.State.Columns.Select(c => (c.Name, c.Fill, c.MissingIndicator)),
            streamed.Encoder.State.Columns.Select(c => (c.Name, c.Fill, c.MissingIndicator)));
    }

    [Fact]
    public void Drop_still_leaves_out_rows_with_an_empty_feature_and_says_how_many()
    {
        var model = TableModel.Fit(Gappy(), Small with { Missing = MissingPolicy.Drop });
        var missing = model.Report.Data.Missing;
        Assert.Equal(5, missing.TargetRows);
        Assert.True(missing.FeatureRows > 0);
        Assert.Empty(missing.FilledCells);
        Assert.Equal(missing.TargetRows + missing.FeatureRows, model.Report.Data.DroppedRows);
        Assert.DoesNotContain(model.FeatureNames, n => n.Contains("missing", StringComparison.Ordinal));
        Assert.Contains("more rows with empty features left out", missing.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_still_refuses_an_empty_field()
    {
        var e = Assert.Throws<Backprop.Data.DataFormatException>(() => TableModel.Fit(Gappy(), Small with { Missing = MissingPolicy.Error }));
        Assert.Contains("rows have missing values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_one_model_file_keeps_its_policy_and_still_refuses_an_empty_field()
    {
        var model = TableModel.Load(Path.Combine(AppContext.BaseDirectory, "Tables", "Fixtures", "diabetes-v1.model.json"));
        Assert.Equal(MissingPolicy.Error, model.Encoder.Missing);
        Assert.DoesNotContain(model.FeatureNames, n => n.EndsWith("_missing", StringComparison.Ordinal));
        var row = model.Encoder.State.Columns.ToDictionary(c => c.Name, _ => (string?)"1");
        row["bmi"] = "";
        Assert.Throws<ArgumentException>(() => model.Predict(row));
    }

    public void Dispose() => _h.Dispose();
}
