using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

public sealed class DataTableSelectTests
{
    [Fact]
    public void Select_keeps_columns_values_and_line_numbers_of_the_chosen_rows()
    {
        var table = DataTable.Load(new StringReader("a,b\n1,x\n2,y\n3,z\n"), "t.csv");
        var picked = table.Select([2, 0]);
        Assert.Equal(["a", "b"], picked.ColumnNames);
        Assert.Equal(2, picked.RowCount);
        Assert.Equal("3", picked[0, 0]);
        Assert.Equal("x", picked[1, 1]);
        Assert.Equal(4, picked.LineNumber(0));
        Assert.Equal(2, picked.LineNumber(1));
        Assert.Equal("t.csv", picked.SourcePath);
    }

    [Fact]
    public void Select_rejects_rows_outside_the_table_and_an_empty_selection()
    {
        var table = DataTable.Load(new StringReader("a\n1\n"), "t.csv");
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Select([1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Select([]));
    }
}
