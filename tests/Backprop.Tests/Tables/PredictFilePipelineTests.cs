using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Tables;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>
/// PredictFile reads and writes on one thread while another predicts: over several batches the
/// lines stay in input order, quoted fields are written back quoted, rows with gaps get empty
/// predictions, and a failure part-way stops the whole file with the reader's message.
/// </summary>
public sealed class PredictFilePipelineTests : IDisposable
{
    private const int Rows = 10_000; // more than two batches

    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Many_batches_come_out_in_order_with_the_rows_own_predictions()
    {
        var (model, path) = FitAndWrite();
        var drop = model.WithMissing(MissingPolicy.Drop);
        var writer = new StringWriter();
        var summary = drop.PredictFile(path, writer);
        var lines = writer.ToString().Split('\n');

        Assert.Equal(Rows, summary.Rows);
        Assert.Equal(Rows / 997 + 1, summary.DroppedRows);
        Assert.Equal("a,city,b,y,y_predicted", lines[0]);
        Assert.Equal(Rows + 2, lines.Length); // the header, the rows, and the empty piece after the last newline
        foreach (int i in new[] { 0, 1, 997, 4095, 4096, 4097, 8191, 8192, Rows - 1 })
        {
            var (a, city, b) = Fields(i);
            string quotedCity = city.Contains(',', StringComparison.Ordinal) ? "\"" + city.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : city;
            string prefix = $"{a},{quotedCity},{b},{Target(i).ToString("R", CultureInfo.InvariantCulture)},";
            Assert.StartsWith(prefix, lines[i + 1], StringComparison.Ordinal);
            string predicted = lines[i + 1][prefix.Length..];
            if (b.Length == 0)
            {
                Assert.Equal("", predicted);
                continue;
            }
            double y = drop.Predict(new Dictionary<string, string?> { ["a"] = a, ["city"] = city, ["b"] = b })[0];
            Assert.Equal(((float)y).ToString("R", CultureInfo.InvariantCulture), predicted);
        }
    }

    [Fact]
    public void A_failure_part_way_stops_the_file_with_the_readers_message()
    {
        var (model, path) = FitAndWrite();
        var strict = model.WithMissing(MissingPolicy.Error);
        var e = Assert.Throws<DataFormatException>(() => strict.PredictFile(path, _h.PathOf("out.csv")));
        Assert.Contains("missing value", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal); // data row 0 is the first with a gap
        Assert.False(File.Exists(_h.PathOf("out.csv")));
    }

    private (TableModel Model, string Path) FitAndWrite()
    {
        var text = new StringBuilder("a,city,b,y\n");
        for (int i = 0; i < Rows; i++)
        {
            var (a, city, b) = Fields(i);
            string quoted = city.Contains(',', StringComparison.Ordinal) ? "\"" + city.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : city;
            text.Append(CultureInfo.InvariantCulture, $"{a},{quoted},{b},{Target(i).ToString("R", CultureInfo.InvariantCulture)}\n");
        }
        string path = _h.Write("rows.csv", text.ToString());
        var model = TableModel.Fit(path, new TableOptions { Targets = ["y"], Search = SearchMode.None, HiddenLayers = [8], Epochs = 2, Missing = MissingPolicy.Impute, Seed = 3 });
        return (model, path);
    }

    // Row i's fields: a number, a city (some with a comma and a quote, so written quoted), and a
    // second number that is missing every 997th row.
    private static (string A, string City, string B) Fields(int i) => (
        (i % 50 * 0.5).ToString(CultureInfo.InvariantCulture),
        (i % 3) switch { 0 => "Oslo", 1 => "Bergen, \"west\"", _ => "Tromsø" },
        i % 997 == 0 ? "" : (i % 17).ToString(CultureInfo.InvariantCulture));

    private static double Target(int i) => i % 50 * 0.5 + (i % 17) * 2 + i % 3;
}
