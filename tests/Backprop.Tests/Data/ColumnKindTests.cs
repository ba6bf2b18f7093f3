using Backprop.Data;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

public class ColumnKindTests
{
    [Fact]
    public void InfersFromAllValues()
    {
        var t = CsvText.Load("n,drv,title,e,blank\n1,4,1776,,\n2.5,f,300,x,\n-1e3,r,Heat,,\n 7 ,4,2012,,\n");
        Assert.Equal(ColumnKind.Numeric, t.InferKind(0));
        Assert.Equal(ColumnKind.Text, t.InferKind(1));
        Assert.Equal(ColumnKind.Text, t.InferKind(2));
        Assert.Equal(ColumnKind.Text, t.InferKind(3));
        Assert.Equal(ColumnKind.Numeric, t.InferKind(4));
    }

    [Fact]
    public void StrayTextIsFoundOnlyInMostlyNumericColumns()
    {
        // a: numbers with one word (row 2); b: as many words as numbers; c: mostly words; d: numbers.
        var t = CsvText.Load("a,b,c,d\n1,x,x,1\n2,2,y,2\noops,z,3,3\n4,4,w,4\n");
        Assert.Equal(2, t.StrayTextRow(0));
        Assert.Equal(0, t.StrayTextRow(1));
        Assert.Equal(-1, t.StrayTextRow(2));
        Assert.Equal(-1, t.StrayTextRow(3));
    }

    [Fact]
    public void NumbersAreCultureInvariant()
    {
        // "1,5" quoted is one field: a decimal comma is not a number here, so the column is text.
        var t = CsvText.Load("a,b\n1.5,\"1,5\"\n2,3\n");
        Assert.Equal(ColumnKind.Numeric, t.InferKind(0));
        Assert.Equal(ColumnKind.Text, t.InferKind(1));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Inf")]
    [InlineData("-inf")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public void NonFiniteInNumericColumnIsAnError(string bad)
    {
        var t = CsvText.Load($"x,y\n1,2\n{bad},3\n4,5\n");
        var e = Assert.Throws<DataFormatException>(() => t.InferKind(0));
        Assert.Equal(3, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Contains("NaN or infinite values are not allowed", e.Message);
        Assert.StartsWith("data.csv: line 3, column 'x': value '" + bad + "'", e.Message);
    }

    [Fact]
    public void NanAmongRealLabelsIsJustALabel()
    {
        var t = CsvText.Load("name\nBob\nNan\nAnn\n");
        Assert.Equal(ColumnKind.Text, t.InferKind(0));
    }
}
