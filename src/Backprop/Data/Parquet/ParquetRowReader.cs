using Backprop.Data.Csv;
using Parquet;

namespace Backprop.Data.Parquet;

/// <summary>
/// The rows of a Parquet file, one row group in memory at a time, so that a file larger than memory
/// streams as a CSV file does. Columns whose type Backprop does not read (binary, intervals,
/// nested) are left out, as if the file did not have them.
/// </summary>
/// <remarks>
/// Parquet.Net's API is asynchronous; this reader waits on it, as the synchronous data layer does
/// for file reads everywhere else.
/// </remarks>
internal sealed class ParquetRowReader : IRowReader
{
    private readonly ParquetReader _reader;
    private readonly ParquetColumn[] _columns;
    private int _group = -1, _rowInGroup, _rowsInGroup;

    private ParquetRowReader(ParquetReader reader, string path)
    {
        _reader = reader;
        Path = path;
        _columns = [.. reader.Schema.GetDataFields().Select(ParquetColumn.For).OfType<ParquetColumn>()];
        ColumnNames = [.. _columns.Select(c => c.Field.Name)];
        DeclaredKinds = [.. _columns.Select(c => c.Kind)];
        var duplicate = ColumnNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataFormatException("the schema has two columns of this name (nested fields flattened); column names must be unique", path, column: duplicate.Key);
    }

    /// <summary>Opens a Parquet file, rejecting the text-file options that cannot apply to it.</summary>
    /// <exception cref="DataFormatException">The file is missing, not Parquet, or the options are for text files.</exception>
    public static ParquetRowReader Open(string path, CsvOptions options)
    {
        DataFiles.CheckExists(path);
        if (!options.HasHeader || options.Separator is not null)
            throw new DataFormatException("a Parquet file names its columns in its schema and has no separator; --no-header and --separator apply to text files only", path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Unreadable(e, path);
        }
        try
        {
            return new ParquetRowReader(reader, path);
        }
        catch
        {
            Close(reader);
            throw;
        }
    }

    public string Path { get; }

    public IReadOnlyList<string> ColumnNames { get; }

    public IReadOnlyList<ColumnKind>? DeclaredKinds { get; }

    /// <summary>The schema's fields of the columns read, in order.</summary>
    public IEnumerable<global::Parquet.Schema.DataField> Fields => _columns.Select(c => c.Field);

    public char Separator => ',';

    public long Line { get; private set; }

    public ReadOnlySpan<char> this[int column] => _columns[column].Text(_rowInGroup);

    public bool MoveNext()
    {
        while (++_rowInGroup >= _rowsInGroup)
        {
            if (_group + 1 >= _reader.RowGroupCount)
            {
                _rowInGroup = _rowsInGroup;
                return false;
            }
            LoadGroup(++_group);
        }
        Line++;
        return true;
    }

    private void LoadGroup(int index)
    {
        try
        {
            using var group = _reader.OpenRowGroupReader(index);
            int rows = checked((int)group.RowCount);
            foreach (var column in _columns)
                column.ReadAsync(group, rows).GetAwaiter().GetResult();
            _rowsInGroup = rows;
            _rowInGroup = -1;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or DataFormatException))
        {
            throw Unreadable(e, Path);
        }
    }

    private static DataFormatException Unreadable(Exception e, string path) =>
        new($"cannot read the file as Parquet: {e.Message}", path, innerException: e);

    public void Dispose() => Close(_reader);

    private static void Close(ParquetReader reader) => reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
