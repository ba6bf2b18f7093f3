using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

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
                Assert.Equal(data.Inputs[i * features + j], row[j], 12);
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

    [Fact]
    public void FloatsAreTheParsedDoubleRounded()
    {
        // Halfway between two floats once rounded to double, so a direct float parse rounds it up
        // while the double's tie rounds down to even.
        const string Tie = "1.000000059604644776";
        Assert.NotEqual(float.Parse(Tie, CultureInfo.InvariantCulture), (float)double.Parse(Tie, CultureInfo.InvariantCulture));
        string path = CsvText.TempFile($"a,y\n{Tie},0.1\n-0,3.4028235e38\n");
        var (x, y, rows) = NumericCsv.ReadMatrix(path, ["y"]);
        Assert.Equal(2, rows);
        Assert.Equal([(float)double.Parse(Tie, CultureInfo.InvariantCulture), -0f], x);
        Assert.True(float.IsNegative(x[1]));
        Assert.Equal([(float)0.1, float.MaxValue], y);
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("1.000000000000000000000000000000001,2.000000000000000000000000000000002,3.000000000000000000000000000000003")]
    public void AllRowsAreKeptWhateverTheFirstRowSuggests(string first)
    {
        // The room made is judged from the first row: a short one overestimates the row count
        // (the result is trimmed), a long one underestimates it (the arrays grow).
        var text = new StringBuilder($"a,b,y\n{first}\n\n");
        for (int i = 0; i < 5000; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i * 1.0001e-3:R},{-i * 7.3e5:R},{i % 17 * 0.0123456789:R}\n");
        string path = CsvText.TempFile(text.ToString());
        var table = DataTable.Load(path);
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(path, ["y"]);
        Assert.Equal(table.RowCount, rows);
        Assert.Equal(rows * 2, x.Length);
        Assert.Equal(rows, y.Length);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(double.Parse(table[i, 0], CultureInfo.InvariantCulture), x[2 * i]);
            Assert.Equal(double.Parse(table[i, 1], CultureInfo.InvariantCulture), x[2 * i + 1]);
            Assert.Equal(double.Parse(table[i, 2], CultureInfo.InvariantCulture), y[i]);
        }

        var e = Assert.Throws<DataFormatException>(() => NumericCsv.ReadMatrix(CsvText.TempFile(text + "1,x,2\n"), ["y"]));
        Assert.Equal(5004, e.Row);
        Assert.Equal("b", e.Column);
    }

    [Theory]
    [InlineData("a,y\n1,2\nabc,3\n", 3, "a", "is not a number")]
    [InlineData("a,y\n1,2\n,3\n", 3, "a", "missing value")]
    [InlineData("a,y\n1,2\n3,NaN\n", 3, "y", "NaN or infinite values are not allowed")]
    [InlineData("a,y\n1,2\n3,1e300\n", 3, "y", "out of range for Single")]
    [InlineData("a,y\n1,2\n3\n", 3, null, "row has 1 field but the header has 2; fill in the missing fields")]
    [InlineData("a,y\n1,2\n3,4,5\n", 3, null, "row has 3 fields but the header has 2; quote values that contain the separator, or remove the extra fields")]
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
