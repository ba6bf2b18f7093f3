using System.Globalization;
using System.Text.Json.Nodes;

namespace Backprop.Tests.Cli;

/// <summary>
/// What the default train keeps from its out-of-fold rows, end to end: the importance table, chart
/// and JSON, the interval calibration in the model file, and predict --interval's bounds.
/// </summary>
public sealed class SearchAnalysisOutputTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Train_keeps_importance_and_intervals_and_predict_writes_bounds_around_the_prediction()
    {
        string model = _h.PathOf("m.json");
        var (code, stdout, err) = _h.Run("train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--epochs", "40", "--out", model, "--plots", _h.PathOf("plots"));
        Assert.True(code == 0, err);
        Assert.Contains("Column importance (10 columns)", stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(_h.PathOf(Path.Combine("plots", "importance.png"))).Length > 1000, "no importance chart");

        var (inspectCode, inspect, inspectErr) = _h.Run("inspect", model, "--json");
        Assert.True(inspectCode == 0, inspectErr);
        var json = JsonNode.Parse(inspect)!;
        var columns = json["importance"]!["columns"]!.AsArray();
        Assert.Equal(10, columns.Count);
        Assert.Equal("cv+", (string?)json["intervals"]!["method"]);
        // The two columns every model of this data leans on come first (body mass and the s5 serum measure).
        Assert.Contains((string?)columns[0]!["column"], new[] { "s5", "bmi" });

        var (predictCode, predicted, predictErr) = _h.Run("predict", model, CliHarness.Sample("diabetes.csv"), "--interval", "0.9", "--only-predictions");
        Assert.True(predictCode == 0, predictErr);
        var lines = predicted.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("target_predicted,target_lower,target_upper", lines[0]);
        Assert.Equal(443, lines.Length);
        var actual = File.ReadLines(CliHarness.Sample("diabetes.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
        int covered = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            var v = lines[i].Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(v[1] < v[0] && v[0] < v[2], $"row {i}: {lines[i]}");
            covered += v[1] <= actual[i - 1] && actual[i - 1] <= v[2] ? 1 : 0;
        }
        // The predictions are the same with and without the interval columns.
        var (plainCode, plain, plainErr) = _h.Run("predict", model, CliHarness.Sample("diabetes.csv"), "--only-predictions");
        Assert.True(plainCode == 0, plainErr);
        Assert.Equal(plain.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), lines.Skip(1).Select(l => l.Split(',')[0]));
        // The training rows themselves, so coverage runs above the nominal 0.9 (the networks have seen them);
        // held-out coverage is measured in the interval tests.
        Assert.InRange(covered / 442.0, 0.88, 1.0);
    }
}
