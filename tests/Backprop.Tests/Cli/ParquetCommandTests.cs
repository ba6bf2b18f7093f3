using System.Globalization;
using Backprop.Data.Csv;
using Backprop.Data.Parquet;
using Backprop.Tests.Data;

namespace Backprop.Tests.Cli;

// The commands take a Parquet file wherever they take a CSV file, and predict writes one.
public sealed class ParquetCommandTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Train_predict_and_evaluate_take_parquet_and_predict_writes_it_with_the_input_types()
    {
        string csv = _h.PathOf("d.csv"), parquet = _h.PathOf("d.parquet"), model = _h.PathOf("m.json");
        await ParquetFixture.WriteAsync(csv, parquet, 400, 100, 5);
        var (code, _, err) = _h.Run("train", parquet, "--target", "y", "--search", "none", "--hidden", "8", "--epochs", "5", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        (code, var scores, err) = _h.Run("evaluate", model, parquet);
        Assert.True(code == 0, err);
        Assert.Contains("R2", scores, StringComparison.OrdinalIgnoreCase);

        string scored = _h.PathOf("scored.parquet"), scoredCsv = _h.PathOf("scored.csv");
        (code, _, err) = _h.Run("predict", model, parquet, "--out", scored);
        Assert.True(code == 0, err);
        (code, _, err) = _h.Run("predict", model, csv, "--out", scoredCsv);
        Assert.True(code == 0, err);

        using var input = ParquetRowReader.Open(parquet, CsvOptions.Default);
        using var output = ParquetRowReader.Open(scored, CsvOptions.Default);
        var fields = output.Fields.ToArray();
        Assert.Equal([.. input.Fields.Select(f => (f.Name, f.ClrType)), ("y_predicted", typeof(double))], fields.Select(f => (f.Name, f.ClrType)));
        var fromCsv = DataTable.Load(scoredCsv);
        int column = fromCsv.IndexOf("y_predicted");
        for (int i = 0; output.MoveNext(); i++)
        {
            Assert.True(input.MoveNext());
            for (int j = 0; j < input.ColumnNames.Count; j++)
                Assert.Equal(input[j].ToString(), output[j].ToString());
            Assert.Equal(double.Parse(fromCsv[i, column], CultureInfo.InvariantCulture), double.Parse(output[fields.Length - 1], CultureInfo.InvariantCulture));
        }
        Assert.False(input.MoveNext());
    }

    [Fact]
    public async Task The_format_option_names_the_format_and_text_options_are_refused()
    {
        string csv = _h.PathOf("d.csv"), parquet = _h.PathOf("d.parquet"), model = _h.PathOf("m.json");
        await ParquetFixture.WriteAsync(csv, parquet, 100, 100, 6);
        string renamed = _h.PathOf("d.data");
        File.Copy(parquet, renamed);
        var (code, _, err) = _h.Run("train", renamed, "--format", "parquet", "--target", "y", "--epochs", "2", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        (code, _, err) = _h.Run("train", parquet, "--target", "y", "--separator", ";", "--no-plots", "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--separator apply to text files only", err);
        (code, _, err) = _h.Run("predict", model, parquet, "--format", "feather");
        Assert.Equal(2, code);
        Assert.Contains("--format: 'feather' is not one of csv, parquet", err);
    }

    [Fact]
    public void The_readme_trains_the_parquet_sample_in_one_command()
    {
        string readme = File.ReadAllText(Path.Combine(Packaging.PackagingTests.RepositoryRoot(), "README.md"));
        string line = readme.Split('\n').Single(l => l.StartsWith("backprop train samples/diabetes.parquet", StringComparison.Ordinal));
        var args = line[..line.IndexOf('#')].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(a => a.StartsWith("samples/", StringComparison.Ordinal) ? CliHarness.Sample(a["samples/".Length..]) : a);
        // The command as the README shows it, with its model and plots written to a temporary folder.
        var (code, output, err) = _h.Run([.. args, "--out", _h.PathOf("diabetes.model.json")]);
        Assert.True(code == 0, err);
        Assert.Contains("test", output);
        Assert.True(File.Exists(_h.PathOf("diabetes.model.json")));
        var csvModel = _h.PathOf("csv.model.json");
        (code, _, err) = _h.Run("train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--out", csvModel, "--no-plots");
        Assert.True(code == 0, err);
        // The sample is the CSV sample as Parquet, so the two fits learn the same weights.
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(Serialization.ModelFile.Read(csvModel).Layers),
            System.Text.Json.JsonSerializer.Serialize(Serialization.ModelFile.Read(_h.PathOf("diabetes.model.json")).Layers));
    }
}
