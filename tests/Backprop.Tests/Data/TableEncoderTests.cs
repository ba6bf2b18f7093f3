using Backprop.Data;
using Backprop.Data.Columns;
using nietras.SeparatedValues;

namespace Backprop.Tests.Data;

public class TableEncoderTests
{
    private const string Mixed = "x,drv,id,y\n1,f,a,10\n2,4,b,20\n3,r,c,30\n4,f,d,40\n";

    private static EncoderOptions Target(string y, MissingPolicy missing = MissingPolicy.Error, params string[] ignore) =>
        new() { Targets = [y], Ignore = ignore, Missing = missing };

    [Fact]
    public void OneHotNamesInOrdinalOrderAndStandardizedNumbers()
    {
        var table = CsvText.Load(Mixed);
        var enc = TableEncoder.Fit(table, Target("y", ignore: "id"));
        Assert.Equal(["x", "drv=4", "drv=f", "drv=r"], enc.FeatureNames);
        Assert.Equal(["y"], enc.TargetNames);
        var data = enc.Encode(table, requireTargets: true, out var summary);
        Assert.Equal(4, data.Rows);
        Assert.Equal([0, 1, 2, 3], summary.SourceRows);
        Assert.Equal([10.0, 20, 30, 40], data.Targets!);
        // x = 1..4: mean 2.5, population sd sqrt(1.25).
        double sd = Math.Sqrt(1.25);
        Assert.Equal([(1 - 2.5) / sd, 0, 1, 0], data.Inputs[..4]);
        Assert.Equal([(2 - 2.5) / sd, 1, 0, 0], data.Inputs[4..8]);
        Assert.Equal([(3 - 2.5) / sd, 0, 0, 1], data.Inputs[8..12]);
        Assert.Empty(summary.UnseenCategories);
        Assert.Equal(0, summary.DroppedRows);
    }

    [Fact]
    public void UnseenCategoriesAreZerosAndCounted()
    {
        var enc = TableEncoder.Fit(CsvText.Load(Mixed), Target("y", ignore: "id"));
        // Column order differs and the target is absent: prediction input.
        var later = CsvText.Load("drv,x\nq,1\nf,2\nq,3\nz,4\n");
        var data = enc.Encode(later, requireTargets: false, out var summary);
        Assert.Empty(data.Targets);
        Assert.Equal(4, data.Rows);
        Assert.Equal([0.0, 0, 0], data.Inputs[1..4]);
        Assert.Equal([0.0, 1, 0], data.Inputs[5..8]);
        Assert.Equal(3, summary.UnseenCategories["drv"]);
        Assert.Single(summary.UnseenCategories);
    }

    [Fact]
    public void UnknownTargetListsColumns()
    {
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(CsvText.Load(Mixed), Target("price")));
        Assert.Contains("target column 'price' not found", e.Message);
        Assert.Contains("available columns: x, drv, id, y", e.Message);
    }

    [Fact]
    public void UnknownIgnoredColumnListsColumns()
    {
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(CsvText.Load(Mixed), Target("y", ignore: "nope")));
        Assert.Contains("ignored column 'nope' not found", e.Message);
        Assert.Contains("available columns:", e.Message);
    }

    [Fact]
    public void TargetAlsoIgnored()
    {
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(CsvText.Load(Mixed), Target("y", ignore: "y")));
        Assert.Equal("y", e.Column);
        Assert.Contains("both a target and ignored", e.Message);
    }

    [Fact]
    public void NoFeaturesLeft()
    {
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(CsvText.Load(Mixed), Target("y", MissingPolicy.Error, "x", "drv", "id")));
        Assert.Contains("no feature columns left", e.Message);
    }

    [Fact]
    public void TextTargetNamesLineAndColumn()
    {
        var table = CsvText.Load("x,y\n1,2\n2,3\n3,high\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Target("y")));
        Assert.Equal(4, e.Row);
        Assert.Equal("y", e.Column);
        Assert.StartsWith("data.csv: line 4, column 'y': value 'high' is not a number", e.Message);
        Assert.Contains("target column must be numeric", e.Message);
    }

    [Fact]
    public void NanFeatureIsAnError()
    {
        var table = CsvText.Load("x,y\n1,2\ninf,3\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Target("y")));
        Assert.Equal(3, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Contains("NaN or infinite values are not allowed", e.Message);
    }

    [Fact]
    public void TextInNumericColumnAtEncodeTime()
    {
        var enc = TableEncoder.Fit(CsvText.Load("bmi,y\n1,2\n2,3\n"), Target("y"));
        var e = Assert.Throws<DataFormatException>(() => enc.Encode(CsvText.Load("bmi,y\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,1\n10,1\n11,1\n12,1\nabc,1\n"), true));
        Assert.Equal("data.csv: line 14, column 'bmi': value 'abc' is not a number; this column was numeric in the training data", e.Message);
    }

    [Fact]
    public void MissingFeatureColumnAtEncodeTime()
    {
        var enc = TableEncoder.Fit(CsvText.Load(Mixed), Target("y", ignore: "id"));
        var e = Assert.Throws<DataFormatException>(() => enc.Encode(CsvText.Load("x,y\n1,2\n"), false));
        Assert.Equal("drv", e.Column);
        Assert.Contains("feature column is missing", e.Message);
    }

    [Fact]
    public void MissingTargetColumnWhenRequired()
    {
        var enc = TableEncoder.Fit(CsvText.Load(Mixed), Target("y", ignore: "id"));
        var e = Assert.Throws<DataFormatException>(() => enc.Encode(CsvText.Load("x,drv\n1,f\n"), true));
        Assert.Contains("target column 'y' not found", e.Message);
    }

    private const string Holes = "a,c,y\n1,p,1\n,p,2\n3,,3\n4,q,\n5,q,5\n6,p,6\n";

    [Fact]
    public void MissingErrorSaysHowManyWhereAndWhatToDo()
    {
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(CsvText.Load(Holes), Target("y")));
        Assert.Equal(3, e.Row);
        Assert.Equal("a", e.Column);
        Assert.Contains("3 of 6 rows have missing values", e.Message);
        Assert.Contains("line 3 column 'a', line 4 column 'c', line 5 column 'y'", e.Message);
        Assert.Contains("use --missing drop or --missing mean", e.Message);
    }

    [Fact]
    public void DropLeavesOutIncompleteRows()
    {
        var table = CsvText.Load(Holes);
        var enc = TableEncoder.Fit(table, Target("y", MissingPolicy.Drop));
        var data = enc.Encode(table, true, out var summary);
        Assert.Equal([0, 4, 5], summary.SourceRows);
        Assert.Equal(3, summary.DroppedRows);
        Assert.Equal([1.0, 5, 6], data.Targets!);
        // Mean and scale come from the kept rows only: a = 1, 5, 6.
        var a = enc.State.Columns[0];
        Assert.Equal(4.0, a.Mean);
    }

    [Fact]
    public void MeanFillsFeaturesButDropsMissingTargets()
    {
        var table = CsvText.Load(Holes);
        var enc = TableEncoder.Fit(table, Target("y", MissingPolicy.Mean));
        var data = enc.Encode(table, true, out var summary);
        Assert.Equal([0, 1, 2, 4, 5], summary.SourceRows);
        Assert.Equal(1, summary.DroppedRows);
        Assert.Equal(["a", "c=p", "c=q"], enc.FeatureNames);
        // Mean of a over rows kept (1, 3, 5, 6; row 2 missing, row 4 dropped for its target).
        Assert.Equal(15.0 / 4, enc.State.Columns[0].Mean);
        Assert.Equal(0.0, data.Inputs[1 * 3]);        // missing a -> mean -> 0
        Assert.Equal([0.0, 0], data.Inputs[(2 * 3 + 1)..(2 * 3 + 3)]); // missing text -> zeros
        Assert.Empty(summary.UnseenCategories);
    }

    [Fact]
    public void PredictionKeepsRowsWithMissingTargetAsNaN()
    {
        var table = CsvText.Load(Holes);
        var enc = TableEncoder.Fit(table, Target("y", MissingPolicy.Mean));
        var data = enc.Encode(table, requireTargets: false);
        Assert.Equal(6, data.Rows);
        Assert.True(double.IsNaN(data.Targets![3]));
    }

    [Fact]
    public void AllRowsDropped()
    {
        var table = CsvText.Load("a,b,y\n1,,1\n,2,2\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Target("y", MissingPolicy.Drop)));
        Assert.Contains("no rows left", e.Message);
        Assert.Contains("--missing mean", e.Message);
    }

    [Fact]
    public void ColumnWithNoValuesUnderMean()
    {
        var table = CsvText.Load("a,b,y\n1,,1\n2,,2\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Target("y", MissingPolicy.Mean)));
        Assert.Equal("b", e.Column);
        Assert.Contains("--ignore", e.Message);
    }

    [Fact]
    public void RowEncoderMatchesTableEncodeWithoutAllocatingStrings()
    {
        var table = CsvText.Load(Mixed);
        var enc = TableEncoder.Fit(table, Target("y", ignore: "id"));
        var all = enc.Encode(table, true);
        var rows = enc.CreateRowEncoder(["id", "y", "drv", "x"], "stream.csv");
        Assert.True(rows.HasTargets);
        var f = new double[enc.FeatureCount];
        var t = new double[1];
        Assert.True(rows.TryEncode(["b", "20", "4", "2"], 3, f, t, out var missing));
        Assert.Null(missing);
        Assert.Equal(all.Inputs[4..8], f);
        Assert.Equal(20, t[0]);

        Assert.False(rows.TryEncode(["b", "20", "", "2"], 4, f, out missing));
        Assert.Equal("drv", missing);
        var e = Assert.Throws<DataFormatException>(() => rows.TryEncode(["b", "20", "f"], 5, f, out _));
        Assert.StartsWith("stream.csv: line 5: row has 3 fields but the header has 4", e.Message);
    }

    [Fact]
    public void RowEncoderReadsSepRows()
    {
        var table = CsvText.Load(Mixed);
        var enc = TableEncoder.Fit(table, Target("y", ignore: "id"));
        var all = enc.Encode(table, true);
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(Mixed);
        var rows = enc.CreateRowEncoder(reader.Header.ColNames, "data.csv");
        var f = new double[enc.FeatureCount];
        var t = new double[1];
        int r = 0;
        foreach (var row in reader)
        {
            Assert.True(rows.TryEncode(row, f, t, out _));
            Assert.Equal(all.Inputs.AsSpan(r * f.Length, f.Length).ToArray(), f);
            Assert.Equal(all.Targets![r], t[0]);
            r++;
        }
        Assert.Equal(4, r);
    }
}
