using nietras.SeparatedValues;

namespace Backprop.Data.Csv;

/// <summary>
/// One row of fields, however it is stored, so that the row encoder has a single
/// implementation for strings, Sep rows and loaded tables.
/// </summary>
internal interface IFieldSource
{
    int Count { get; }

    long Line { get; }

    ReadOnlySpan<char> this[int index] { get; }
}

internal readonly ref struct StringFields(ReadOnlySpan<string> fields, long line) : IFieldSource
{
    private readonly ReadOnlySpan<string> _fields = fields;

    public int Count => _fields.Length;

    public long Line => line;

    public ReadOnlySpan<char> this[int index] => _fields[index];
}

internal readonly ref struct SepRowFields(SepReader.Row row) : IFieldSource
{
    private readonly SepReader.Row _row = row;

    public int Count => _row.ColCount;

    public long Line => CsvSource.Line(_row);

    public ReadOnlySpan<char> this[int index] => _row[index].Span;
}

internal readonly struct TableRowFields(DataTable table, int row) : IFieldSource
{
    public int Count => table.ColumnCount;

    public long Line => table.LineNumber(row);

    public ReadOnlySpan<char> this[int index] => table[row, index];
}

internal readonly struct RowReaderFields(IRowReader reader) : IFieldSource
{
    public int Count => reader.ColumnNames.Count;

    public long Line => reader.Line;

    public ReadOnlySpan<char> this[int index] => reader[index];
}
