using Backprop.Cli;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

/// <summary>How the command line shows column importance and intervals: the top-ten table, the PNG bar chart and the JSON nodes.</summary>
public sealed class ImportanceOutputTests : IDisposable
{
    // Twelve columns, most important first, as PermutationImportance returns them.
    private static readonly ImportanceDocument Twelve = new(5, 3, 1,
        [.. Enumerable.Range(0, 12).Select(i => new ColumnImportanceDocument($"col{i}", 100.0 / (i + 1), 2.0 / (i + 1), 0.5 / (i + 1), 0.01 * (12 - i)))]);

    private readonly CliHarness _h = new();

    [Fact]
    public void The_table_shows_the_top_ten_columns_in_order_with_their_spreads()
    {
        var stdout = new StringWriter();
        Rendering.Importance(new Io(stdout, TextWriter.Null, Terminal.None, CancellationToken.None), Twelve);
        string text = stdout.ToString();
        Assert.Contains("Column importance (top 10 of 12 columns)", text, StringComparison.Ordinal);
        Assert.Contains("over 5 folds x 3", text, StringComparison.Ordinal);
        var rows = text.Split('\n').Where(l => l.StartsWith("| col", StringComparison.Ordinal) && !l.StartsWith("| column", StringComparison.Ordinal)).ToArray();
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"col{i}")], rows.Select(r => r.Split('|')[1].Trim()));
        Assert.Equal(["0.5", "0.12", "100", "2"], rows[0].Split('|')[2..6].Select(c => c.Trim()));
        Assert.DoesNotContain("col10", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bar_chart_is_a_png_of_the_plots_size()
    {
        string path = ImportancePlot.Write(_h.Folder, Twelve);
        Assert.Equal(Path.Combine(_h.Folder, "importance.png"), path);
        Assert.Equal((Plots.Width, Plots.Height), CliHarness.PngSize(path));
    }

    [Fact]
    public void The_json_nodes_hold_every_column_and_the_calibrations_size()
    {
        var importance = JsonReport.Importance(Twelve)!;
        Assert.Equal(12, importance["columns"]!.AsArray().Count);
        Assert.Equal("col0", (string?)importance["columns"]![0]!["column"]);
        Assert.Equal(0.5, (double)importance["columns"]![0]!["r2_drop"]!);
        Assert.Equal(3, (int)importance["repeats"]!);

        var intervals = new IntervalsDocument(IntervalsDocument.CvPlus, [new TargetResidualsDocument("y", [new(3, [0, 1, 2]), new(2, [1, 1])])]);
        var node = JsonReport.Intervals(intervals)!;
        Assert.Equal(("cv+", 2, 5), ((string?)node["method"], (int)node["folds"]!, (int)node["calibration_rows"]!));
        Assert.Null(JsonReport.Intervals(null));
        Assert.Null(JsonReport.Importance(null));
    }

    public void Dispose() => _h.Dispose();
}
