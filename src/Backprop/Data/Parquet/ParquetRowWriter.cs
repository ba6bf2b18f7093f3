using Parquet;
using Parquet.Schema;

namespace Backprop.Data.Parquet;

/// <summary>
/// Writes rows given as text fields (as <see cref="IRowReader"/> gives them) to a Parquet file with
/// a typed schema, one row group at a time, so that memory holds one group.
/// </summary>
internal sealed class ParquetRowWriter : IDisposable
{
    private readonly ParquetWriter _writer;
    private readonly ParquetColumn[] _columns;

    /// <param name="stream">Where the file goes: writable and seekable.</param>
    /// <param name="fields">The columns, each of a type <see cref="ParquetColumn.For"/> accepts.</param>
    public ParquetRowWriter(Stream stream, IReadOnlyList<DataField> fields)
    {
        _columns = [.. fields.Select(f => ParquetColumn.For(f) ?? throw new ArgumentException($"Column '{f.Name}' has a type Backprop does not write.", nameof(fields)))];
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
    }

    /// <summary>A nullable string field, for a column read from a text file.</summary>
    public static DataField Text(string name) => new DataField<string>(name, nullable: true);

    /// <summary>A nullable double field, for a prediction (null where the row could not be predicted).</summary>
    public static DataField Number(string name) => new DataField<double?>(name);

    /// <summary>Sets a field of the next row group (row <paramref name="row"/> from 0); empty is null.</summary>
    /// <exception cref="FormatException">The text is not a value of the column's type.</exception>
    public void Set(int row, int column, ReadOnlySpan<char> text) => _columns[column].Set(row, text);

    /// <summary>Writes rows 0 to <paramref name="rows"/> - 1, every field of which was set, as a row group.</summary>
    public void WriteGroup(int rows)
    {
        if (rows == 0)
            return;
        using var group = _writer.CreateRowGroup();
        foreach (var column in _columns)
            column.WriteAsync(group, rows).GetAwaiter().GetResult();
    }

    /// <summary>Writes the file's footer.</summary>
    public void Dispose() => _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
