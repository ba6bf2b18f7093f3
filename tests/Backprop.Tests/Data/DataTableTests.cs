using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

public class DataTableTests
{
    [Theory]
    [InlineData(',')]
    [InlineData('\t')]
    [InlineData(';')]
    public void DetectsSeparator(char sep)
    {
        var table = CsvText.Load($"a{sep}b{sep}c\n1{sep}2{sep}x\n4{sep}5{sep}y\n");
        Assert.Equal(["a", "b", "c"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(["2", "5"], table.Column("b"));
        Assert.Equal("y", table[1, 2]);
    }

    [Fact]
    public void ExplicitSeparatorOverridesDetection()
    {
        // Detection would pick ';' (two of them); the user says comma.
        var table = CsvText.Load("a;x,b;y\n1;1,2;2\n", new CsvOptions(Separator: ','));
        Assert.Equal(["a;x", "b;y"], table.ColumnNames);
    }

    [Fact]
    public void LoadsTsvFile()
    {
        string path = CsvText.TempFile("x\ty\n1\t2\n3\t4\n", ".tsv");
        var table = DataTable.Load(path);
        Assert.Equal(path, table.SourcePath);
        Assert.Equal(["1", "3"], table.Column(0));
    }

    [Fact]
    public void QuotedFieldsWithSeparatorsDoubledQuotesAndLineBreaks()
    {
        var table = CsvText.Load("title,director,year\n\"Crouching, Tiger\",\"Jeff \"\"King\"\" H\",2000\n\"two\nlines\",,2001\nplain,x,2002\n");
        Assert.Equal(3, table.RowCount);
        Assert.Equal("Crouching, Tiger", table[0, 0]);
        Assert.Equal("Jeff \"King\" H", table[0, 1]);
        Assert.Equal("two\nlines", table[1, 0]);
        Assert.Equal("", table[1, 1]);
        // The row after a two-line field starts on line 5.
        Assert.Equal(2, table.LineNumber(0));
        Assert.Equal(3, table.LineNumber(1));
        Assert.Equal(5, table.LineNumber(2));
    }

    [Fact]
    public void NoHeaderNamesColumnsAndKeepsFirstLineAsData()
    {
        var table = CsvText.Load("1,2,3\n4,5,6\n", new CsvOptions(HasHeader: false));
        Assert.Equal(["column1", "column2", "column3"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(1, table.LineNumber(0));
        Assert.Equal("4", table[1, 0]);
    }

    [Fact]
    public void BlankLinesAreSkippedAndLineNumbersStayTrue()
    {
        var table = CsvText.Load("a,b\n1,2\n\n3,4\n\n");
        Assert.Equal(2, table.RowCount);
        Assert.Equal(4, table.LineNumber(1));
    }

    [Fact]
    public void UnknownColumnNameListsColumns()
    {
        var table = CsvText.Load("a,b\n1,2\n");
        var e = Assert.Throws<DataFormatException>(() => table.Column("z"));
        Assert.Contains("'z' not found", e.Message);
        Assert.Contains("available columns: a, b", e.Message);
    }

    [Fact]
    public void FileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.csv");
        var e = Assert.Throws<DataFormatException>(() => DataTable.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("not found", e.Message);
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void EmptyFile()
    {
        var e = Assert.Throws<DataFormatException>(() => DataTable.Load(CsvText.TempFile("")));
        Assert.Contains("file is empty", e.Message);
        Assert.Null(e.Row);
    }

    [Fact]
    public void HeaderOnly()
    {
        var e = CsvText.LoadError("a,b,c\n");
        Assert.Equal("data.csv: file has a header line but no data rows", e.Message);
    }

    [Fact]
    public void RaggedRowNamesTheLine()
    {
        var e = CsvText.LoadError("a,b,c\n1,2,3\n4,5\n");
        Assert.Equal(3, e.Row);
        Assert.StartsWith("data.csv: line 3: row has 2 fields but the header has 3", e.Message);
        e = CsvText.LoadError("a,b\n1,2\n3,4,5\n");
        Assert.Equal(3, e.Row);
        Assert.Contains("3 fields", e.Message);
    }

    [Fact]
    public void DuplicateColumnName()
    {
        var e = CsvText.LoadError("a,b,a\n1,2,3\n");
        Assert.Equal(1, e.Row);
        Assert.Equal("a", e.Column);
        Assert.Contains("twice (columns 1 and 3)", e.Message);
        Assert.StartsWith("data.csv: line 1, column 'a': ", e.Message);
    }

    [Fact]
    public void EmptyColumnName()
    {
        var e = CsvText.LoadError("a,,c\n1,2,3\n");
        Assert.Equal(1, e.Row);
        Assert.Contains("column 2 of the header has an empty name", e.Message);
    }

    [Fact]
    public void MessagesAreOneLine()
    {
        var t = CsvText.Load("a,b\n\"x\ny\",1\n");
        var f = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(t, new EncoderOptions { Targets = ["a"] }));
        Assert.DoesNotContain('\n', f.Message);
        Assert.Contains("'x\\ny'", f.Message);
    }
}
