using Backprop.Data.Csv;
using nietras.SeparatedValues;

namespace Backprop.Data.Columns;

/// <summary>
/// Encodes one row at a time for streaming prediction, with the column mapping resolved once from a
/// header. Create it with <see cref="TableEncoder.CreateRowEncoder(IReadOnlyList{string}, string?)"/>; pass fields in that header's
/// order, as strings or as a Sep row straight from a reader (no allocation per row either way).
/// </summary>
/// <remarks>
/// <para>Return value: false means the row has a missing value the policy does not fill (any missing
/// feature under <see cref="MissingPolicy.Error"/> or <see cref="MissingPolicy.Drop"/>; a missing target
/// under every policy); <c>missingColumn</c> names the first one and the outputs are untouched. The
/// caller decides whether that is an error or a skipped row. Malformed values (text in a numeric
/// column, NaN, a wrong field count) throw <see cref="DataFormatException"/> with line and column.</para>
/// <para>Not thread-safe: it keeps a scratch buffer and unseen-category counts. Use one per thread.</para>
/// </remarks>
public sealed class RowEncoder
{
    private readonly TableEncoder _encoder;
    private readonly NumberReader _numbers;
    private readonly FeatureColumn[] _columns;
    private readonly int[] _featureField;
    private readonly int[] _targetField;
    private readonly double[] _numeric;
    private readonly int[] _unseen;
    private readonly int[] _filled;

    internal RowEncoder(TableEncoder encoder, IReadOnlyList<string> columnNames, string? sourceName, NumberReader numbers)
    {
        _encoder = encoder;
        _numbers = numbers;
        _columns = encoder.Columns;
        SourceName = sourceName;
        FieldCount = columnNames.Count;
        var index = new Dictionary<string, int>(columnNames.Count, StringComparer.Ordinal);
        for (int j = 0; j < columnNames.Count; j++)
            index.TryAdd(columnNames[j], j);
        _featureField = new int[_columns.Length];
        for (int f = 0; f < _columns.Length; f++)
        {
            if (!index.TryGetValue(_columns[f].Name, out _featureField[f]))
                throw new DataFormatException(
                    "feature column is missing; the model was trained with it, so the data must have a column of that name",
                    sourceName, column: _columns[f].Name);
        }
        _targetField = new int[encoder.TargetCount];
        HasTargets = true;
        for (int t = 0; t < _targetField.Length; t++)
        {
            if (!index.TryGetValue(encoder.TargetNames[t], out _targetField[t]))
            {
                _targetField[t] = -1;
                HasTargets = false;
            }
        }
        _numeric = new double[encoder.Scaler.Count];
        _unseen = new int[_columns.Length];
        _filled = new int[_columns.Length];
    }

    /// <summary>Source name used in error messages.</summary>
    public string? SourceName { get; }

    /// <summary>Number of fields each row must have (the header's column count).</summary>
    public int FieldCount { get; }

    /// <summary>Length of the features span.</summary>
    public int FeatureCount => _encoder.FeatureCount;

    /// <summary>Length of the targets span.</summary>
    public int TargetCount => _encoder.TargetCount;

    /// <summary>True when the header has every target column, so the overloads with targets can be used.</summary>
    public bool HasTargets { get; }

    /// <summary>Rows seen so far per text column with a category unknown to training (encoded as zeros).</summary>
    public IReadOnlyDictionary<string, int> UnseenCategories => Counts(_unseen);

    /// <summary>
    /// Empty feature fields filled so far per column (policies <see cref="MissingPolicy.Mean"/> and
    /// <see cref="MissingPolicy.Impute"/>), in column order.
    /// </summary>
    public IReadOnlyDictionary<string, int> FilledCells => Counts(_filled);

    /// <summary>Whether a policy fills missing features rather than refusing the row.</summary>
    internal static bool Fills(MissingPolicy policy) => policy is MissingPolicy.Mean or MissingPolicy.Impute;

    // Per column, only those with a count; in column order.
    private Dictionary<string, int> Counts(int[] perColumn)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int f = 0; f < perColumn.Length; f++)
            if (perColumn[f] > 0)
                counts.Add(_columns[f].Name, perColumn[f]);
        return counts;
    }

    /// <summary>Encodes the features of one row given as strings in header order.</summary>
    /// <param name="fields">The row's fields, <see cref="FieldCount"/> of them.</param>
    /// <param name="lineNumber">Line number for error messages; 0 or less when unknown.</param>
    /// <param name="features">Output, <see cref="FeatureCount"/> long.</param>
    /// <param name="missingColumn">The first unfilled missing column when the result is false; otherwise null.</param>
    public bool TryEncode(ReadOnlySpan<string> fields, long lineNumber, Span<double> features, out string? missingColumn) =>
        TryEncodeCore(new StringFields(fields, lineNumber), features, default, false, out missingColumn);

    /// <summary>Encodes features and raw targets of one row given as strings in header order.</summary>
    /// <param name="fields">The row's fields, <see cref="FieldCount"/> of them.</param>
    /// <param name="lineNumber">Line number for error messages; 0 or less when unknown.</param>
    /// <param name="features">Output, <see cref="FeatureCount"/> long.</param>
    /// <param name="targets">Output, <see cref="TargetCount"/> long; requires <see cref="HasTargets"/>.</param>
    /// <param name="missingColumn">The first unfilled missing column when the result is false; otherwise null.</param>
    public bool TryEncode(ReadOnlySpan<string> fields, long lineNumber, Span<double> features, Span<double> targets, out string? missingColumn) =>
        TryEncodeCore(new StringFields(fields, lineNumber), features, RequireTargets(targets), false, out missingColumn);

    /// <summary>Encodes the features of the current row of a Sep reader (opened with unescaping on).</summary>
    /// <param name="row">Row whose columns are in the header order given at creation.</param>
    /// <param name="features">Output, <see cref="FeatureCount"/> long.</param>
    /// <param name="missingColumn">The first unfilled missing column when the result is false; otherwise null.</param>
    public bool TryEncode(SepReader.Row row, Span<double> features, out string? missingColumn) =>
        TryEncodeCore(new SepRowFields(row), features, default, false, out missingColumn);

    /// <summary>Encodes features and raw targets of the current row of a Sep reader.</summary>
    /// <param name="row">Row whose columns are in the header order given at creation.</param>
    /// <param name="features">Output, <see cref="FeatureCount"/> long.</param>
    /// <param name="targets">Output, <see cref="TargetCount"/> long; requires <see cref="HasTargets"/>.</param>
    /// <param name="missingColumn">The first unfilled missing column when the result is false; otherwise null.</param>
    public bool TryEncode(SepReader.Row row, Span<double> features, Span<double> targets, out string? missingColumn) =>
        TryEncodeCore(new SepRowFields(row), features, RequireTargets(targets), false, out missingColumn);

    private Span<double> RequireTargets(Span<double> targets)
    {
        if (!HasTargets)
            throw new InvalidOperationException("The header given to CreateRowEncoder lacks a target column; use the overload without targets.");
        if (targets.Length != TargetCount)
            throw new ArgumentException($"targets must have length {TargetCount}, not {targets.Length}.", nameof(targets));
        return targets;
    }

    /// <param name="src">The row.</param>
    /// <param name="features">Output row.</param>
    /// <param name="targets">Output targets, or empty to skip them.</param>
    /// <param name="missingTargetIsNaN">Keep rows with a missing target and write NaN (prediction on labelled data).</param>
    /// <param name="missingColumn">First unfilled missing column.</param>
    internal bool TryEncodeCore<TSource>(scoped TSource src, Span<double> features, Span<double> targets, bool missingTargetIsNaN, out string? missingColumn)
        where TSource : IFieldSource, allows ref struct
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"features must have length {FeatureCount}, not {features.Length}.", nameof(features));
        if (src.Count != FieldCount)
            throw CsvSource.Ragged(SourceName, src.Line, FieldCount, src.Count);

        // Check everything first so a rejected row neither writes output nor counts unseen categories.
        bool fill = Fills(_encoder.Missing);
        for (int f = 0; f < _columns.Length && !fill; f++)
        {
            var field = src[_featureField[f]];
            if (_numbers.IsMissing(field, _columns[f].IsText))
            {
                missingColumn = _columns[f].Name;
                return false;
            }
        }
        if (!targets.IsEmpty && !missingTargetIsNaN)
        {
            for (int t = 0; t < _targetField.Length; t++)
            {
                if (_numbers.IsMissing(src[_targetField[t]]))
                {
                    missingColumn = _encoder.TargetNames[t];
                    return false;
                }
            }
        }

        var scaler = _encoder.Scaler;
        for (int f = 0; f < _columns.Length; f++)
        {
            var column = _columns[f];
            var field = src[_featureField[f]];
            var block = features.Slice(column.Offset, column.Width);
            bool missing = false;
            if (column.IsText)
            {
                block.Clear();
                if (field.IsEmpty)
                {
                    missing = true;
                    _filled[f]++;
                }
                else if (column.Lookup.TryGetValue(field, out int k))
                {
                    block[k] = 1;
                }
                else
                {
                    _unseen[f]++;
                }
            }
            else if (column.IsDate)
            {
                var cycles = features.Slice(column.Offset + 1, DateField.Width - 1);
                if (_numbers.IsMissing(field))
                {
                    // The fill day (the mean) and the circle's centre: no information either way.
                    _numeric[column.NumericIndex] = column.Fill;
                    cycles.Clear();
                    _filled[f]++;
                    missing = true;
                }
                else if (DateField.TryRead(field, out var date))
                {
                    _numeric[column.NumericIndex] = DateField.Days(date);
                    DateField.Cycles(date, cycles);
                }
                else
                {
                    throw new DataFormatException($"value {DataFormatException.Show(field)} is not a date; this column held ISO 8601 dates (2024-03-05, 2024-03-05T14:30) in the training data",
                        SourceName, src.Line > 0 ? src.Line : null, column.Name);
                }
            }
            else
            {
                switch (_numbers.Read(field, out double x))
                {
                    case FieldValue.Number:
                        _numeric[column.NumericIndex] = x;
                        break;
                    case FieldValue.Missing:
                        // Under Mean the fill is the mean itself, so the standardized value is exactly 0.
                        _numeric[column.NumericIndex] = column.Fill;
                        _filled[f]++;
                        missing = true;
                        break;
                    case FieldValue.NonFinite:
                        throw FieldParser.NonFiniteError(field, SourceName, src.Line, column.Name);
                    default:
                        throw FieldParser.NotANumberError(field, SourceName, src.Line, column.Name,
                            "this column was numeric in the training data");
                }
            }
            if (column.HasIndicator)
                block[^1] = missing ? 1 : 0;
        }
        scaler.Transform(_numeric);
        for (int f = 0; f < _columns.Length; f++)
            if (!_columns[f].IsText)
                features[_columns[f].Offset] = _numeric[_columns[f].NumericIndex];

        for (int t = 0; t < targets.Length; t++)
        {
            var field = src[_targetField[t]];
            targets[t] = _numbers.Read(field, out double y) switch
            {
                FieldValue.Number => y,
                FieldValue.Missing => double.NaN,
                FieldValue.NonFinite => throw FieldParser.NonFiniteError(field, SourceName, src.Line, _encoder.TargetNames[t]),
                _ => throw FieldParser.NotANumberError(field, SourceName, src.Line, _encoder.TargetNames[t],
                    "targets must be numeric"),
            };
        }
        missingColumn = null;
        return true;
    }
}
