namespace Backprop.Data.Csv;

/// <summary>
/// What one column's values look like, gathered one field at a time (from a loaded table or while
/// streaming a file) so that its type can be decided from every value: how many read as numbers
/// under each candidate decimal separator, the first values that do not (with their lines), how
/// many distinct values it has, and whether it counts the rows.
/// </summary>
internal sealed class ColumnSurvey
{
    /// <summary>Values quoted in an error about a column.</summary>
    public const int Examples = 3;

    // Distinct values are counted up to here; a column with more is an identifier whatever its size.
    private const int MaxDistinct = 65_536;

    private readonly Reading[] _readings;
    // 64-bit hashes rather than the strings: a wide file streamed past keeps a few MB per column at
    // most, and two different values share a hash about once in 10^10 columns of 65,536.
    private readonly HashSet<ulong> _distinct = [];
    private string? _first;
    private bool _allFirst = true;
    private bool _countsFrom0 = true, _countsFrom1 = true;

    public ColumnSurvey(string name, IEnumerable<NumberReader> readers, ColumnKind? declared = null)
    {
        Name = name;
        Declared = declared;
        _readings = readers.Select(r => new Reading(r)).ToArray();
    }

    public string Name { get; }

    /// <summary>The kind the file's schema gives the column (Parquet), which then need not be guessed.</summary>
    public ColumnKind? Declared { get; }

    /// <summary>Fields seen.</summary>
    public long Rows { get; private set; }

    /// <summary>Fields with no characters.</summary>
    public long Empty { get; private set; }

    /// <summary>Values that are ISO 8601 dates or date-times.</summary>
    public long Dates { get; private set; }

    /// <summary>Non-empty values that are neither dates nor missing-value tokens.</summary>
    public long NotDates { get; private set; }

    /// <summary>Distinct non-empty values, up to a cap.</summary>
    public int Distinct => _distinct.Count;

    /// <summary>Whether there were too many distinct values to count.</summary>
    public bool ManyDistinct { get; private set; }

    /// <summary>The only non-empty value, when there is exactly one.</summary>
    public string? OnlyValue => _allFirst ? _first : null;

    /// <summary>0 or 1 when the values are 0, 1, 2, ... or 1, 2, 3, ... in file order (none missing, at least 3 rows); otherwise null.</summary>
    public int? CountsFrom => Rows < 3 ? null : _countsFrom0 ? 0 : _countsFrom1 ? 1 : null;

    public void Add(ReadOnlySpan<char> field, long line)
    {
        long row = Rows++;
        if (field.IsEmpty)
        {
            Empty++;
            _countsFrom0 = _countsFrom1 = false;
            return;
        }
        if (_first is null)
            _first = field.ToString();
        else if (_allFirst && !field.SequenceEqual(_first))
            _allFirst = false;
        if (!ManyDistinct)
        {
            ulong hash = Fnv1a(field);
            if (!_distinct.Contains(hash))
            {
                if (_distinct.Count == MaxDistinct)
                    ManyDistinct = true;
                else
                    _distinct.Add(hash);
            }
        }
        // The length and dash test first: most fields are plainly not dates, and parsing one costs.
        if (field.Length >= 10 && field[4] == '-' && DateField.TryRead(field, out _))
            Dates++;
        else if (!_readings[0].Reader.IsMissing(field))
            NotDates++;
        for (int k = 0; k < _readings.Length; k++)
        {
            var value = _readings[k].Add(field, line, out double x);
            if (k == 0 && (_countsFrom0 || _countsFrom1))
            {
                bool number = value == FieldValue.Number;
                _countsFrom0 &= number && x == row;
                _countsFrom1 &= number && x == row + 1;
            }
        }
    }

    /// <summary>The column read with each decimal separator surveyed.</summary>
    public IReadOnlyList<Reading> Readings => _readings;

    /// <summary>Whether the values were also read with the given decimal separator.</summary>
    public bool HasReading(char decimalSeparator) => _readings.Any(r => r.Reader.Decimal == decimalSeparator);

    /// <summary>How the values read with the given decimal separator (one of those surveyed).</summary>
    public Reading With(char decimalSeparator) => _readings.First(r => r.Reader.Decimal == decimalSeparator);

    /// <summary>The column's values as read by one <see cref="NumberReader"/>.</summary>
    public sealed class Reading(NumberReader reader)
    {
        private readonly List<(long Line, string Value)> _notNumbers = [];

        public NumberReader Reader { get; } = reader;

        /// <summary>Values read as numbers.</summary>
        public long Numbers { get; private set; }

        /// <summary>Numbers written with a comma (as a decimal or a thousands separator).</summary>
        public long WithComma { get; private set; }

        /// <summary>Values that are not numbers (NaN and infinite values excluded).</summary>
        public long NotNumbers { get; private set; }

        /// <summary>The first values that are not numbers, with their lines.</summary>
        public IReadOnlyList<(long Line, string Value)> FirstNotNumbers => _notNumbers;

        /// <summary>The first NaN or infinite value, or null.</summary>
        public (long Line, string Value)? FirstNonFinite { get; private set; }

        /// <summary>Every value is a number or missing, and there is at least one number.</summary>
        public bool AllNumbers => Numbers > 0 && NotNumbers == 0;

        public FieldValue Add(ReadOnlySpan<char> field, long line, out double x)
        {
            var value = Reader.Read(field, out x);
            switch (value)
            {
                case FieldValue.Number:
                    Numbers++;
                    if (field.Contains(','))
                        WithComma++;
                    break;
                case FieldValue.NotANumber:
                    if (NotNumbers++ < Examples)
                        _notNumbers.Add((line, field.ToString()));
                    break;
                case FieldValue.NonFinite:
                    FirstNonFinite ??= (line, field.ToString());
                    break;
            }
            return value;
        }
    }

    // FNV-1a over the UTF-16 code units: small, stable across runs, and enough to count distinct values.
    private static ulong Fnv1a(ReadOnlySpan<char> text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
