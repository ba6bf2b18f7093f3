using nietras.SeparatedValues;

namespace Backprop.Data.Csv;

/// <summary>
/// Fast path for all-numeric files (benchmarks): parses fields straight from Sep's spans into row-major
/// arrays, with no per-field strings, no missing-value handling and no scaling.
/// </summary>
/// <remarks>
/// Accepts exactly what the general path accepts as a number (same parser) and reports the same
/// errors, so on a complete numeric file it yields the same raw values as <see cref="DataTable"/>.
/// </remarks>
public static class NumericCsv
{
    /// <summary>Reads a numeric CSV as float features and targets.</summary>
    /// <param name="path">File with a header line.</param>
    /// <param name="targetColumns">Target names; every other column is a feature, in file order.</param>
    /// <returns>Features <c>[rows, columns - targets]</c>, targets <c>[rows, targets]</c>, row count.</returns>
    /// <exception cref="DataFormatException">Any load error of <see cref="DataTable.Load(string, CsvOptions?)"/>,
    /// an unknown target, an empty field, text, NaN, or a value outside the float range.</exception>
    public static (float[] X, float[] Y, int Rows) ReadMatrix(string path, IReadOnlyList<string> targetColumns) =>
        ReadMatrix<float>(path, targetColumns);

    /// <summary>Reads a numeric CSV as features and targets of any IEEE floating-point type.</summary>
    /// <typeparam name="T">Element type, e.g. <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">File with a header line.</param>
    /// <param name="targetColumns">Target names; every other column is a feature, in file order.</param>
    /// <param name="options">Header and separator; defaults to header + detected separator.</param>
    /// <returns>Features <c>[rows, columns - targets]</c>, targets <c>[rows, targets]</c>, row count.</returns>
    /// <remarks>
    /// Each field is parsed as a double and then converted, so a float result equals
    /// <c>(float)</c> of the general path's value rather than a separately rounded parse.
    /// </remarks>
    /// <exception cref="DataFormatException">As for <see cref="ReadMatrix(string, IReadOnlyList{string})"/>.</exception>
    public static (T[] X, T[] Y, int Rows) ReadMatrix<T>(string path, IReadOnlyList<string> targetColumns, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(targetColumns);
        options ??= CsvOptions.Default;
        if (targetColumns.Count == 0)
            throw new DataFormatException("no target column given; name at least one target column", path);
        using var reader = CsvSource.OpenFile(path, options);
        try
        {
            return Read<T>(reader, options, path, targetColumns);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw CsvSource.Wrap(e, path);
        }
    }

    // Optimised from the first call: one read of a large file is the whole workload, and most of it
    // would otherwise run before tiered compilation replaces the unoptimised loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T[] X, T[] Y, int Rows) Read<T>(SepReader reader, CsvOptions options, string file, IReadOnlyList<string> targetColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[]? names = null;
        int[] featureIndex = [];
        int[] targetIndex = [];
        T[] x = [], y = [];
        int rows = 0, capacity = 0;
        foreach (var row in reader)
        {
            if (CsvSource.IsBlank(row, names?.Length ?? 0))
                continue;
            if (names is null)
            {
                names = CsvSource.ColumnNames(row, options, file);
                (featureIndex, targetIndex) = Split(names, targetColumns, file);
                if (options.HasHeader)
                    continue;
            }
            if (row.ColCount != names.Length)
                throw CsvSource.Ragged(file, CsvSource.Line(row), names.Length, row.ColCount);
            if (rows == capacity)
            {
                capacity = rows == 0 ? EstimateRows(file, row.Span.Length, names.Length) : checked(capacity * 2);
                x = Resize(x, checked(capacity * featureIndex.Length));
                y = Resize(y, checked(capacity * targetIndex.Length));
            }
            int at = rows * featureIndex.Length;
            foreach (int j in featureIndex)
                x[at++] = Field<T>(row, j, names, file);
            at = rows * targetIndex.Length;
            foreach (int j in targetIndex)
                y[at++] = Field<T>(row, j, names, file);
            rows++;
        }
        if (names is null)
            throw CsvSource.Empty(file);
        if (rows == 0)
            throw CsvSource.NoDataRows(file);
        return (Resize(x, rows * featureIndex.Length), Resize(y, rows * targetIndex.Length), rows);
    }

    /// <summary>
    /// Rows to make room for, judged from the file's size and the first data row, with an eighth to
    /// spare so that a file of similar rows needs no second allocation, only the final trim.
    /// </summary>
    private static int EstimateRows(string file, int firstRowChars, int columns)
    {
        long estimate = new FileInfo(file).Length / (firstRowChars + 1L);
        return (int)Math.Clamp(estimate + estimate / 8 + 16, 16, Array.MaxLength / columns);
    }

    private static T[] Resize<T>(T[] array, int length)
        where T : unmanaged
    {
        if (array.Length == length)
            return array;
        // Every element is written before it is read, so the clearing would be wasted.
        var resized = GC.AllocateUninitializedArray<T>(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(resized);
        return resized;
    }

    private static (int[] Features, int[] Targets) Split(string[] names, IReadOnlyList<string> targetColumns, string file)
    {
        var targets = new int[targetColumns.Count];
        for (int t = 0; t < targets.Length; t++)
        {
            targets[t] = Array.IndexOf(names, targetColumns[t]);
            if (targets[t] < 0)
                throw CsvSource.UnknownColumn(file, "target", targetColumns[t], names);
            if (Array.IndexOf(targets, targets[t], 0, t) >= 0)
                throw new DataFormatException("target column is given twice", file, column: targetColumns[t]);
        }
        var features = Enumerable.Range(0, names.Length).Where(j => Array.IndexOf(targets, j) < 0).ToArray();
        if (features.Length == 0)
            throw new DataFormatException("no feature columns left: every column is a target", file);
        return (features, targets);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Field<T>(SepReader.Row row, int j, string[] names, string file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FieldParser.Parse(row[j].Span, out double v) == FieldValue.Number)
        {
            var value = T.CreateChecked(v);
            if (T.IsFinite(value))
                return value;
        }
        throw FieldError<T>(row, j, names, file);
    }

    // Kept out of line so that the per-field path above stays small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DataFormatException FieldError<T>(SepReader.Row row, int j, string[] names, string file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = row[j].Span;
        return FieldParser.Parse(span, out _) switch
        {
            FieldValue.Number => new DataFormatException($"value {DataFormatException.Show(span)} is out of range for {typeof(T).Name}",
                file, CsvSource.Line(row), names[j]),
            FieldValue.Missing => new DataFormatException("missing value (empty field); the numeric reader needs complete data, so load the file with DataTable and choose a missing-value policy",
                file, CsvSource.Line(row), names[j]),
            FieldValue.NonFinite => FieldParser.NonFiniteError(span, file, CsvSource.Line(row), names[j]),
            _ => FieldParser.NotANumberError(span, file, CsvSource.Line(row), names[j],
                "the numeric reader needs all-numeric data; load text columns with DataTable and TableEncoder"),
        };
    }
}
