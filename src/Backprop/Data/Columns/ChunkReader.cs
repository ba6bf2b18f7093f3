using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>
/// Reads a CSV or Parquet file front to back in chunks of encoded rows (features and targets as
/// doubles), for training on files larger than memory. Rows are numbered from 0 in file order
/// (blank lines skipped) so that a caller can route them, e.g. every tenth to validation.
/// </summary>
/// <remarks>Rows with a missing value the encoder's policy does not fill are skipped and counted.</remarks>
public sealed class ChunkReader : IDisposable
{
    private readonly IRowReader _reader;
    private readonly RowEncoder _rows;
    private long _rowIndex;

    /// <summary>Opens <paramref name="path"/>, which must have the encoder's feature and target columns.</summary>
    /// <exception cref="DataFormatException">The file cannot be read, is empty, or lacks a column.</exception>
    public ChunkReader(string path, CsvOptions csv, TableEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(csv);
        if (!csv.HasHeader)
            throw new DataFormatException("streaming needs a header row to find the columns", path);
        _reader = DataFiles.Open(path, csv);
        try
        {
            var names = _reader.ColumnNames;
            _rows = encoder.CreateRowEncoder(names, path, _reader.Separator);
            if (!_rows.HasTargets)
                throw new DataFormatException("the target column is missing", path, column: encoder.TargetNames.FirstOrDefault(t => !names.Contains(t)));
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Rows skipped because of a missing value.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Categories not seen when the encoder was fitted, per column.</summary>
    public IReadOnlyDictionary<string, int> UnseenCategories => _rows.UnseenCategories;

    /// <summary>
    /// Fills up to <paramref name="capacity"/> rows of <paramref name="features"/> ([capacity, features])
    /// and <paramref name="targets"/> ([capacity, targets]) with the next rows for which
    /// <paramref name="take"/> (given the row number) is true. Returns how many; 0 at the end of the file.
    /// </summary>
    public int Read(Span<double> features, Span<double> targets, int capacity, Func<long, bool>? take = null)
    {
        int f = _rows.FeatureCount, t = _rows.TargetCount, n = 0;
        while (n < capacity && _reader.MoveNext())
        {
            long index = _rowIndex++;
            if (take is not null && !take(index))
                continue;
            if (_rows.TryEncodeCore(new RowReaderFields(_reader), features.Slice(n * f, f), targets.Slice(n * t, t), false, out _))
                n++;
            else
                SkippedRows++;
        }
        return n;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
