using nietras.SeparatedValues;

namespace Backprop.Data.Csv;

/// <summary>The rows of a delimited text file: header read, blank lines skipped, field counts checked.</summary>
internal sealed class CsvRowReader : IRowReader
{
    private readonly SepReader _reader;
    private readonly string[] _names;
    // Without a header the first line is data, already read to count the columns.
    private bool _firstIsData;

    private CsvRowReader(SepReader reader, string path, CsvOptions options)
    {
        _reader = reader;
        Path = path;
        try
        {
            if (!reader.MoveNext())
                throw CsvSource.Empty(path);
            _names = CsvSource.ColumnNames(reader.Current, options, path);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw CsvSource.Wrap(e, path);
        }
        _firstIsData = !options.HasHeader;
    }

    public static CsvRowReader Open(string path, CsvOptions options)
    {
        var reader = CsvSource.OpenFile(path, options);
        try
        {
            return new CsvRowReader(reader, path, options);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public IReadOnlyList<string> ColumnNames => _names;

    public IReadOnlyList<ColumnKind>? DeclaredKinds => null;

    public char Separator => _reader.Spec.Sep.Separator;

    public long Line => CsvSource.Line(_reader.Current);

    public ReadOnlySpan<char> this[int column] => _reader.Current[column].Span;

    public bool MoveNext()
    {
        if (_firstIsData)
        {
            _firstIsData = false;
            return true;
        }
        try
        {
            while (_reader.MoveNext())
            {
                var row = _reader.Current;
                if (CsvSource.IsBlank(row, _names.Length))
                    continue;
                if (row.ColCount != _names.Length)
                    throw CsvSource.Ragged(Path, CsvSource.Line(row), _names.Length, row.ColCount);
                return true;
            }
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw CsvSource.Wrap(e, Path);
        }
    }

    public void Dispose() => _reader.Dispose();
}
