using Backprop.Data;

namespace Backprop.Tests.Data;

public class NumericCsvTests
{
    private static readonly string Diabetes = CsvText.Output("samples", "diabetes.csv");

    [Fact]
    public void MatchesGeneralPathOnDiabetes()
    {
        var table = DataTable.Load(Diabetes);
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(Diabetes, ["target"]);
        Assert.Equal(table.RowCount, rows);
        int features = table.ColumnCount - 1;
        Assert.Equal(rows * features, x.Length);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < features; j++)
                Assert.Equal(double.Parse(table[i, j], System.Globalization.CultureInfo.InvariantCulture), x[i * features + j]);
            Assert.Equal(double.Parse(table[i, features], System.Globalization.CultureInfo.InvariantCulture), y[i]);
        }

        // Against the encoder too: standardizing the fast path's raw values gives the encoder's features.
        var enc = TableEncoder.Fit(table, new EncoderOptions { Targets = ["target"] });
        var data = enc.Encode(table, true);
        var scaler = Backprop.Preprocessing.Standardizer.Fit(x, features);
        var row = new double[features];
        for (int i = 0; i < rows; i++)
        {
            x.AsSpan(i * features, features).CopyTo(row);
            scaler.Transform(row);
            for (int j = 0; j < features; j++)
                Assert.Equal(data.Features[i * features + j], row[j], 12);
        }
        Assert.Equal(data.Targets, y);

        var (xf, yf, rowsf) = NumericCsv.ReadMatrix(Diabetes, ["target"]);
        Assert.Equal(rows, rowsf);
        Assert.Equal(x.Select(v => (float)v), xf);
        Assert.Equal(y.Select(v => (float)v), yf);
    }

    [Fact]
    public void TargetsCanBeAnywhereAndSeveral()
    {
        string path = CsvText.TempFile("y1;a;y2;b\n1;2;3;4\n5;6;7;8\n");
        var (x, y, rows) = NumericCsv.ReadMatrix(path, ["y2", "y1"]);
        Assert.Equal(2, rows);
        Assert.Equal([2f, 4, 6, 8], x);
        Assert.Equal([3f, 1, 7, 5], y);
    }

    [Theory]
    [InlineData("a,y\n1,2\nabc,3\n", 3, "a", "is not a number")]
    [InlineData("a,y\n1,2\n,3\n", 3, "a", "missing value")]
    [InlineData("a,y\n1,2\n3,NaN\n", 3, "y", "NaN or infinite values are not allowed")]
    [InlineData("a,y\n1,2\n3,1e300\n", 3, "y", "out of range for Single")]
    [InlineData("a,y\n1,2\n3\n", 3, null, "row has 1 fields but the header has 2")]
    public void ErrorsNameLineAndColumn(string text, long line, string? column, string words)
    {
        string path = CsvText.TempFile(text);
        var e = Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(path, ["y"]));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Row);
        Assert.Equal(column, e.Column);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void LoadErrorsAreTheSame()
    {
        Assert.Contains("file is empty", Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(CsvText.TempFile(""), ["y"])).Message);
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(CsvText.TempFile("a,y\n"), ["y"])).Message);
        Assert.Contains("twice", Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(CsvText.TempFile("a,a\n1,2\n"), ["a"])).Message);
        var e = Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(CsvText.TempFile("a,b\n1,2\n"), ["y"]));
        Assert.Contains("available columns: a, b", e.Message);
        Assert.Contains("not found", Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix("/nonexistent/x.csv", ["y"])).Message);
    }
}
