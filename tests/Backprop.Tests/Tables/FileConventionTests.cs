using System.Globalization;
using System.Text;
using Backprop.Data.Columns;
using Backprop.Tables;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>
/// The same data written the ways real files come (semicolons and decimal commas, a BOM and CRLF,
/// NA for empty fields) trains the same model, bit for bit, and predicts the same.
/// </summary>
public sealed class FileConventionTests : IDisposable
{
    private static readonly TableOptions Options = new() { Targets = ["y"], Search = SearchMode.None, HiddenLayers = [6], Epochs = 8, Seed = 3 };

    private readonly CliHarness _h = new();

    // Rows of (a, b, kind, y) with a few empty numeric fields when gaps is true.
    private static List<string[]> Rows(bool gaps)
    {
        var rows = new List<string[]>();
        var rng = new Random(7);
        for (int i = 0; i < 120; i++)
        {
            double a = Math.Round(rng.NextDouble() * 100, 2), b = Math.Round(rng.NextDouble() * 10 - 5, 3);
            string kind = (i % 3) switch { 0 => "None", 1 => "red", _ => "blue" };
            double y = Math.Round(2 * a - 3 * b + (kind == "red" ? 4 : 0), 4);
            string A = gaps && i % 11 == 4 ? "" : a.ToString(CultureInfo.InvariantCulture);
            rows.Add([A, b.ToString(CultureInfo.InvariantCulture), kind, y.ToString(CultureInfo.InvariantCulture)]);
        }
        return rows;
    }

    private string Write(string name, IEnumerable<string[]> rows, char separator, Func<string, string> field, string newline, bool bom)
    {
        var text = new StringBuilder();
        text.Append(string.Join(separator, "a", "b", "kind", "y")).Append(newline);
        foreach (var row in rows)
            text.Append(string.Join(separator, row.Select(field))).Append(newline);
        string path = _h.PathOf(name);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(bom));
        return path;
    }

    [Fact]
    public void A_european_file_trains_the_same_model_as_the_clean_one()
    {
        var rows = Rows(gaps: false);
        string clean = Write("clean.csv", rows, ',', f => f, "\n", bom: false);
        string european = Write("european.csv", rows, ';', f => f.Replace('.', ','), "\r\n", bom: true);

        var a = TableModel.Fit(clean, Options);
        var b = TableModel.Fit(european, Options);
        Assert.Equal(a.Regressor.GetParameters(), b.Regressor.GetParameters());
        Assert.Equal(a.Report.Scores.Select(s => s.Scores.R2), b.Report.Scores.Select(s => s.Scores.R2));
        Assert.Equal(',', b.Encoder.State.DecimalSeparator);

        // The European model reads European files, and comma-separated ones with decimal points.
        string outEuropean = _h.PathOf("p1.csv"), outClean = _h.PathOf("p2.csv");
        b.PredictFile(european, outEuropean, onlyPredictions: true);
        b.PredictFile(clean, outClean, onlyPredictions: true);
        Assert.Equal(File.ReadAllText(outClean), File.ReadAllText(outEuropean));
        Assert.Equal(a.Evaluate(clean).R2, b.Evaluate(european).R2);
    }

    [Fact]
    public void NA_for_empty_fields_trains_the_same_model()
    {
        var rows = Rows(gaps: true);
        string empty = Write("empty.csv", rows, ',', f => f, "\n", bom: false);
        string na = Write("na.csv", rows, ',', f => f.Length == 0 ? "NA" : f, "\n", bom: false);
        var options = Options with { Missing = MissingPolicy.Mean };

        var a = TableModel.Fit(empty, options);
        var b = TableModel.Fit(na, options);
        Assert.Equal(a.Regressor.GetParameters(), b.Regressor.GetParameters());
        Assert.Equal(a.Report.Scores.Select(s => s.Scores.R2), b.Report.Scores.Select(s => s.Scores.R2));
        // "None" stays a category: three levels of kind.
        Assert.Equal(["a", "b", "kind=None", "kind=blue", "kind=red"], b.FeatureNames);
    }

    [Fact]
    public void Streaming_a_european_file_trains_the_same_model_as_streaming_the_clean_one()
    {
        var rows = Rows(gaps: false);
        string clean = Write("clean.csv", rows, ',', f => f, "\n", bom: false);
        string european = Write("european.csv", rows, ';', f => f.Replace('.', ','), "\r\n", bom: true);
        var options = Options with { Stream = true, ShuffleBuffer = 50 };
        var a = TableModel.Fit(clean, options);
        var b = TableModel.Fit(european, options);
        Assert.Equal(a.Regressor.GetParameters(), b.Regressor.GetParameters());
    }

    [Fact]
    public void Notices_reach_the_report_and_the_progress()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"{i},id{i},{i % 4},{3 * i}");
        string path = _h.Write("ids.csv", "n,name,x,y\n" + string.Join('\n', lines) + "\n");
        var progress = new List<TableProgress>();
        var model = TableModel.Fit(path, Options, new Recorder(progress));
        Assert.Equal(2, model.Report.Notices.Count);
        Assert.Equal(model.Report.Notices, progress.OfType<TableProgress.Notice>().Select(n => n.Message));
        Assert.Equal(["n", "x"], model.FeatureNames);
        // The model file keeps the column left out among the ignored ones, and loads.
        string saved = _h.PathOf("m.json");
        model.Save(saved);
        Assert.Contains("name", TableModel.Load(saved).Encoder.State.Ignore);
    }

    [Fact]
    public void A_date_column_trains_predicts_the_same_after_loading_and_is_refused_by_onnx_export_by_name()
    {
        var lines = Enumerable.Range(0, 60).Select(i => $"2024-{i % 12 + 1:00}-{i % 28 + 1:00},{i % 5},{(i % 12) * 2 + i % 5}");
        string path = _h.Write("dates.csv", "when,x,y\n" + string.Join('\n', lines) + "\n");
        var model = TableModel.Fit(path, Options);
        Assert.Equal(6, model.FeatureNames.Count);
        string saved = _h.PathOf("dates.model.json");
        model.Save(saved);
        var loaded = TableModel.Load(saved);
        var row = new Dictionary<string, string?> { ["when"] = "2024-05-17T08:00", ["x"] = "3" };
        Assert.Equal(model.Predict(row), loaded.Predict(row));
        var e = Assert.Throws<NotSupportedException>(() => Backprop.Onnx.OnnxExporter.ToBytes(loaded.ToDocument()));
        Assert.Contains("column 'when' holds dates", e.Message);
    }

    public void Dispose() => _h.Dispose();

    private sealed class Recorder(List<TableProgress> list) : IProgress<TableProgress>
    {
        public void Report(TableProgress value) => list.Add(value);
    }
}
