using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

/// <summary>The quirky shapes of real files: missing text and numbers, quoted fields, numeric-looking labels.</summary>
public class RealDataTests
{
    private static DataTable Fixture(string name) => DataTable.Load(CsvText.Output("Data", "Fixtures", name));

    [Fact]
    public void MsleepLoadsWithMissingTextAndNumbers()
    {
        var t = Fixture("msleep.csv");
        Assert.Equal(83, t.RowCount);
        Assert.Equal(11, t.ColumnCount);
        Assert.Equal(ColumnKind.Text, t.InferKind(t.IndexOf("vore")));
        Assert.Equal(ColumnKind.Numeric, t.InferKind(t.IndexOf("brainwt")));
        int empty = Enumerable.Range(0, t.ColumnCount).Sum(j => t.Column(j).Count(v => v.Length == 0));
        Assert.Equal(136, empty);
    }

    [Theory]
    [InlineData(MissingPolicy.Drop, 20)]
    [InlineData(MissingPolicy.Mean, 83)]
    public void MsleepEncodes(MissingPolicy policy, int rows)
    {
        var t = Fixture("msleep.csv");
        var options = new EncoderOptions { Targets = ["sleep_total"], Ignore = ["name", "genus", "awake"], Missing = policy };
        var data = TableEncoder.Fit(t, options).Encode(t, true, out var summary);
        Assert.Equal(rows, data.Rows);
        Assert.Equal(83 - rows, summary.DroppedRows);
        Assert.All(data.Inputs, v => Assert.True(double.IsFinite(v)));
        Assert.Throws<DataFormatException>(() => TableEncoder.Fit(t, options with { Missing = MissingPolicy.Error }));
    }

    [Fact]
    public void MoviesQuotedFieldsAndTypes()
    {
        var t = Fixture("movies.csv");
        Assert.Equal(3201, t.RowCount);
        Assert.Equal(16, t.ColumnCount);
        Assert.Contains("Jeff \"\"King Jeff\"\" Hollins", t.Column("Director"));
        Assert.Contains(t.Column("Title"), v => v.Contains(','));
        Assert.Equal(ColumnKind.Text, t.InferKind(t.IndexOf("Title")));
        Assert.Equal(ColumnKind.Numeric, t.InferKind(t.IndexOf("Release_Year")));
        Assert.Equal(213, t.Column("IMDB_Rating").Count(v => v.Length == 0));
    }

    [Theory]
    [InlineData(MissingPolicy.Drop)]
    [InlineData(MissingPolicy.Mean)]
    public void MoviesEncodes(MissingPolicy policy)
    {
        var t = Fixture("movies.csv");
        var options = new EncoderOptions { Targets = ["IMDB_Rating"], Ignore = ["Title", "Director"], Missing = policy };
        var enc = TableEncoder.Fit(t, options);
        var data = enc.Encode(t, true, out var summary);
        if (policy == MissingPolicy.Mean)
            Assert.Equal(3201 - 213, data.Rows);
        else
            Assert.True(data.Rows < 3201 - 213 && data.Rows > 0);
        Assert.Equal(3201 - data.Rows, summary.DroppedRows);
        Assert.Contains("MPAA_Rating=PG-13", enc.FeatureNames);
        Assert.All(data.Targets!, v => Assert.InRange(v, 1.4, 9.2));
    }
}
