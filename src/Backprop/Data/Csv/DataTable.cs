using nietras.SeparatedValues;

namespace Backprop.Data.Csv;

/// <summary>
/// A CSV/TSV file held in memory as columns of raw strings, exactly as written (after RFC 4180
/// unquoting). Training decides each column's type later from all of its values (missing-value
/// tokens, decimal commas, dates); <see cref="InferKind(int)"/> is an older, plainer rule (empty is
/// missing, any other text makes a column text) that training no longer uses.
/// </summary>
public sealed class DataTable
{
    private readonly string[][] _columns;
    private readonly int[] _lines;
    private readonly Dictionary<string, int> _index;

    private DataTable(string? sourcePath, char separator, string[] names, string[][] columns, int[] lines, IReadOnlyList<ColumnKind>? declaredKinds = null)
    {
        DeclaredKinds = declaredKinds;
        SourcePath = sourcePath;
        Separator = separator;
        ColumnNames = names;
        _columns = columns;
        _lines = lines;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int j = 0; j < names.Length; j++)
            _index.Add(names[j], j);
    }

    /// <summary>File path or source name the table was loaded from, used in error messages.</summary>
    public string? SourcePath { get; }

    /// <summary>The field separator the file was read with (given, or detected from its first line).</summary>
    public char Separator { get; }

    /// <summary>Column names in file order (<c>column1..N</c> when the file had no header).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Each column's kind as the file's schema declares it (Parquet), or null when its values decide (CSV).</summary>
    internal IReadOnlyList<ColumnKind>? DeclaredKinds { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>Number of data rows (header and blank lines not counted).</summary>
    public int RowCount => _lines.Length;

    /// <summary>The values of one column, row by row; empty string = missing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the columns.</exception>
    public IReadOnlyList<string> Column(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _columns.Length);
        return _columns[index];
    }

    /// <summary>The values of the named column (ordinal, case-sensitive match).</summary>
    /// <exception cref="DataFormatException">No column has that name; the message lists the columns.</exception>
    public IReadOnlyList<string> Column(string name) => _columns[IndexOfRequired(name, "data")];

    /// <summary>One raw field.</summary>
    public string this[int row, int column] => _columns[column][row];

    /// <summary>Index of the named column, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int j) ? j : -1;

    internal int IndexOfRequired(string name, string role) =>
        _index.TryGetValue(name, out int j) ? j : throw CsvSource.UnknownColumn(SourcePath, role, name, ColumnNames);

    /// <summary>
    /// Line in the file where data row <paramref name="row"/> (0-based) starts, 1-based and counting
    /// the header, as <see cref="DataFormatException.Row"/> reports it.
    /// </summary>
    public long LineNumber(int row) => _lines[row];

    /// <summary>
    /// Decides a column's kind from all of its values: numeric when every non-empty value parses as a
    /// finite double (invariant culture, <see cref="System.Globalization.NumberStyles.Float"/>),
    /// otherwise text. So <c>4, f, r</c> is text and <c>1, 2.5, , 1e3</c> is numeric.
    /// </summary>
    /// <remarks>
    /// A column whose values are all numbers or NaN/infinity literals (<c>NaN</c>, <c>Inf</c>,
    /// <c>Infinity</c>, signed, any case), or numbers too large for a double, is rejected rather than
    /// read as text: it is a numeric column with bad values, and silently one-hot encoding a price
    /// column because one cell says <c>NaN</c> would be far worse than stopping. A literal among real
    /// labels (<c>Nan</c> as a name) is just a label. A column with no values at all counts as numeric.
    /// </remarks>
    /// <exception cref="DataFormatException">The column is numeric but holds a NaN or infinite value; names the line.</exception>
    public ColumnKind InferKind(int column)
    {
        var values = _columns[column];
        int firstNonFinite = -1;
        for (int i = 0; i < values.Length; i++)
        {
            switch (FieldParser.Parse(values[i], out _))
            {
                case FieldValue.NotANumber:
                    return ColumnKind.Text;
                case FieldValue.NonFinite when firstNonFinite < 0:
                    firstNonFinite = i;
                    break;
            }
        }
        if (firstNonFinite >= 0)
            throw FieldParser.NonFiniteError(values[firstNonFinite], SourcePath, _lines[firstNonFinite], ColumnNames[column]);
        return ColumnKind.Numeric;
    }

    /// <summary>
    /// For a column of text among numbers: the first row whose value is not a number, when at least
    /// half of the column's non-empty values are numbers (most likely a numeric column with a stray
    /// value, which <see cref="InferKind(int)"/> reads as text); otherwise -1.
    /// </summary>
    public int StrayTextRow(int column)
    {
        var values = _columns[column];
        int numbers = 0, texts = 0, first = -1;
        for (int i = 0; i < values.Length; i++)
        {
            switch (FieldParser.Parse(values[i], out _))
            {
                case FieldValue.Number:
                    numbers++;
                    break;
                case FieldValue.NotANumber:
                    texts++;
                    if (first < 0)
                        first = i;
                    break;
            }
        }
        return texts > 0 && numbers >= texts ? first : -1;
    }

    /// <summary>
    /// A table of the given data rows (0-based, in the order given) with the same columns, keeping
    /// each row's line number so messages still point into the original file. Used to split off test
    /// rows before fitting an encoder.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the table, or no rows are given.</exception>
    public DataTable Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        var columns = new string[_columns.Length][];
        for (int j = 0; j < columns.Length; j++)
            columns[j] = new string[rows.Count];
        var lines = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            ArgumentOutOfRangeException.ThrowIfNegative(r);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(r, _lines.Length);
            for (int j = 0; j < columns.Length; j++)
                columns[j][i] = _columns[j][r];
            lines[i] = _lines[r];
        }
        return new DataTable(SourcePath, Separator, [.. ColumnNames], columns, lines, DeclaredKinds);
    }

    /// <summary>
    /// Loads a delimited text file (UTF-8, BOM allowed) or a Parquet file (by
    /// <see cref="CsvOptions.Format"/>, or its <c>.parquet</c> extension). A Parquet file's values
    /// are held as text as a CSV file would write them (null as an empty field), with the kinds its
    /// schema declares; its "line numbers" are row numbers from 1.
    /// </summary>
    /// <param name="path">File to read; also used as <see cref="SourcePath"/>.</param>
    /// <param name="options">Format, header and separator; defaults to header + detected separator.</param>
    /// <exception cref="DataFormatException">
    /// The file is missing, empty, has a header and no data, a row with the wrong number of fields,
    /// or duplicate or empty column names.
    /// </exception>
    public static DataTable Load(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= CsvOptions.Default;
        if (DataFiles.IsParquet(path, options))
        {
            using var rows = Parquet.ParquetRowReader.Open(path, options);
            return Read(rows);
        }
        using var reader = CsvSource.OpenFile(path, options);
        return Read(reader, options, path);
    }

    /// <summary>Loads delimited text from a reader, which stays open.</summary>
    /// <param name="reader">Source text.</param>
    /// <param name="sourceName">Name used in error messages and as <see cref="SourcePath"/>.</param>
    /// <param name="options">Header and separator; defaults to header + detected separator.</param>
    /// <exception cref="DataFormatException">As for <see cref="Load(string, CsvOptions?)"/>.</exception>
    public static DataTable Load(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= CsvOptions.Default;
        using var sep = CsvSource.Open(reader, options, sourceName);
        return Read(sep, options, sourceName);
    }

    // Any file's rows, each field copied out as a string.
    private static DataTable Read(IRowReader rows)
    {
        var columns = new List<string>[rows.ColumnNames.Count];
        for (int j = 0; j < columns.Length; j++)
            columns[j] = [];
        var lines = new List<int>();
        while (rows.MoveNext())
        {
            for (int j = 0; j < columns.Length; j++)
                columns[j].Add(rows[j].ToString());
            lines.Add(checked((int)rows.Line));
        }
        if (lines.Count == 0)
            throw CsvSource.NoDataRows(rows.Path);
        return new DataTable(rows.Path, rows.Separator, [.. rows.ColumnNames], [.. columns.Select(c => c.ToArray())], [.. lines], rows.DeclaredKinds);
    }

    private static DataTable Read(SepReader reader, CsvOptions options, string? file)
    {
        string[]? names = null;
        List<string>[] columns = [];
        var lines = new List<int>();
        try
        {
            foreach (var row in reader)
            {
                if (CsvSource.IsBlank(row, names?.Length ?? 0))
                    continue;
                if (names is null)
                {
                    names = CsvSource.ColumnNames(row, options, file);
                    columns = new List<string>[names.Length];
                    for (int j = 0; j < columns.Length; j++)
                        columns[j] = [];
                    if (options.HasHeader)
                        continue;
                }
                if (row.ColCount != names.Length)
                    throw CsvSource.Ragged(file, CsvSource.Line(row), names.Length, row.ColCount);
                for (int j = 0; j < names.Length; j++)
                    columns[j].Add(row[j].ToString());
                lines.Add((int)CsvSource.Line(row));
            }
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw CsvSource.Wrap(e, file);
        }
        if (names is null)
            throw CsvSource.Empty(file);
        if (lines.Count == 0)
            throw CsvSource.NoDataRows(file);
        var arrays = new string[names.Length][];
        for (int j = 0; j < arrays.Length; j++)
            arrays[j] = [.. columns[j]];
        return new DataTable(file, reader.Spec.Sep.Separator, names, arrays, [.. lines]);
    }
}
