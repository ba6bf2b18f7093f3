using System.Globalization;
using System.Text.Json;
using Backprop.Data;
using Backprop.Data.Csv;
using Backprop.Data.Parquet;
using Backprop.Tables;
using Parquet;
using Parquet.Schema;

namespace Backprop.Tests.Data;

// Parquet as the data layer reads it: typed by its schema, nulls missing, and in every other way the
// CSV file with the same data.
public sealed class ParquetTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-parquet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(string Csv, string Parquet)> FilesAsync(int rows, int groupRows, ulong seed = 1)
    {
        string csv = Path.Combine(_folder, "data.csv"), parquet = Path.Combine(_folder, "data.parquet");
        await ParquetFixture.WriteAsync(csv, parquet, rows, groupRows, seed);
        return (csv, parquet);
    }

    [Fact]
    public async Task Every_column_type_reads_as_its_csv_text_with_its_kind_from_the_schema()
    {
        var (csv, parquet) = await FilesAsync(300, 64);
        var fromCsv = DataTable.Load(csv);
        var fromParquet = DataTable.Load(parquet);
        Assert.Equal(fromCsv.ColumnNames, fromParquet.ColumnNames);
        Assert.Null(fromCsv.DeclaredKinds);
        Assert.Equal(
            [ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Text, ColumnKind.Text, ColumnKind.Date, ColumnKind.Date, ColumnKind.Numeric],
            fromParquet.DeclaredKinds);
        Assert.Equal(fromCsv.RowCount, fromParquet.RowCount);
        int nulls = 0;
        for (int j = 0; j < fromCsv.ColumnCount; j++)
        {
            for (int i = 0; i < fromCsv.RowCount; i++)
            {
                string a = fromCsv[i, j], b = fromParquet[i, j];
                nulls += b.Length == 0 ? 1 : 0;
                // Decimals keep their scale in Parquet (12.50) where the CSV may not, and a midnight is
                // written as the date alone; the value is the same.
                if (a != b && fromParquet.DeclaredKinds![j] == ColumnKind.Date)
                    Assert.Equal(DateTime.Parse(a, CultureInfo.InvariantCulture), DateTime.Parse(b, CultureInfo.InvariantCulture));
                else if (a != b)
                    Assert.Equal(double.Parse(a, CultureInfo.InvariantCulture), double.Parse(b, CultureInfo.InvariantCulture));
            }
        }
        Assert.True(nulls > 50, $"only {nulls} nulls");
        Assert.Equal(2, fromParquet.LineNumber(1));
    }

    [Fact]
    public async Task Rows_written_back_to_parquet_keep_every_type_and_null()
    {
        var (_, parquet) = await FilesAsync(200, 50);
        string copy = Path.Combine(_folder, "copy.parquet");
        using (var input = ParquetRowReader.Open(parquet, CsvOptions.Default))
        using (var stream = File.Create(copy))
        using (var writer = new ParquetRowWriter(stream, [.. input.Fields]))
        {
            int n = 0;
            while (input.MoveNext())
            {
                for (int j = 0; j < input.ColumnNames.Count; j++)
                    writer.Set(n, j, input[j]);
                if (++n == 70)
                {
                    writer.WriteGroup(n);
                    n = 0;
                }
            }
            writer.WriteGroup(n);
        }
        using var original = ParquetRowReader.Open(parquet, CsvOptions.Default);
        using var again = ParquetRowReader.Open(copy, CsvOptions.Default);
        Assert.Equal(original.Fields.Select(f => (f.Name, f.ClrType, f.IsNullable)), again.Fields.Select(f => (f.Name, f.ClrType, f.IsNullable)));
        int rows = 0;
        while (original.MoveNext())
        {
            Assert.True(again.MoveNext());
            rows++;
            for (int j = 0; j < original.ColumnNames.Count; j++)
                Assert.Equal(original[j].ToString(), again[j].ToString());
        }
        Assert.False(again.MoveNext());
        Assert.Equal(200, rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_data_as_csv_and_as_parquet_gives_the_same_model_bit_for_bit(bool stream)
    {
        var (csv, parquet) = await FilesAsync(600, 128);
        var options = new TableOptions
        {
            Targets = ["y"],
            Search = SearchMode.None,
            HiddenLayers = [8],
            Epochs = 4,
            Seed = 3,
            Stream = stream,
            ShuffleBuffer = 200,
        };
        var fromCsv = TableModel.Fit(csv, options);
        var fromParquet = TableModel.Fit(parquet, options);
        Assert.Equal(Json(fromCsv.Encoder.State), Json(fromParquet.Encoder.State));
        var a = fromCsv.ToDocument();
        var b = fromParquet.ToDocument();
        Assert.Equal(Json(a.Layers), Json(b.Layers));
        // Epoch records also carry wall-clock seconds, the one thing two identical fits do not share.
        Assert.Equal(a.History!.Select(r => (r.TrainLoss, r.ValidationLoss)), b.History!.Select(r => (r.TrainLoss, r.ValidationLoss)));
        var predictions = Path.Combine(_folder, "a.csv");
        fromParquet.PredictFile(csv, predictions);
        Assert.Equal(File.ReadAllText(predictions), PredictText(fromCsv, csv));
    }

    private string PredictText(TableModel model, string input)
    {
        string path = Path.Combine(_folder, "b.csv");
        model.PredictFile(input, path);
        return File.ReadAllText(path);
    }

    [Fact]
    public async Task Binary_columns_are_left_out()
    {
        string path = Path.Combine(_folder, "other.parquet");
        var fields = new DataField[] { new DataField<byte[]>("blob"), new DataField<double>("x") };
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], new[] { new byte[] { 1 }, [2] });
            await group.WriteAsync<double>(fields[1], new[] { 1.5, 2.5 });
        }
        var table = DataTable.Load(path);
        Assert.Equal(["x"], table.ColumnNames);
        Assert.Equal(["1.5", "2.5"], table.Column("x"));
    }

    [Fact]
    public async Task Text_file_options_are_refused_for_parquet_and_the_format_can_be_named()
    {
        var (_, parquet) = await FilesAsync(50, 50);
        var e = Assert.Throws<DataFormatException>(() => DataTable.Load(parquet, new CsvOptions(HasHeader: false)));
        Assert.Contains("--no-header", e.Message);
        string renamed = Path.Combine(_folder, "data.bin");
        File.Copy(parquet, renamed);
        Assert.Equal(50, DataTable.Load(renamed, CsvOptions.Default with { Format = TableFormat.Parquet }).RowCount);
        var notParquet = Assert.Throws<DataFormatException>(() => DataTable.Load(Path.Combine(_folder, "data.csv"), CsvOptions.Default with { Format = TableFormat.Parquet }));
        Assert.Contains("cannot read the file as Parquet", notParquet.Message);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

}
