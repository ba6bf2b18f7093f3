using System.Globalization;
using System.Text;
using Backprop.Data.Csv;
using Backprop.Preprocessing;
using Backprop.Regression;

namespace Backprop.Data.Columns;

/// <summary>
/// Turns a <see cref="DataTable"/> into model-ready matrices, with everything learned from the
/// training table (column kinds, means and scales, categories) so later tables are encoded the same way.
/// </summary>
/// <remarks>
/// <para>Features are all columns except targets and ignored ones, in file order. A numeric column
/// becomes one standardized output (<see cref="Standardizer"/> fitted on the training rows actually
/// used, missing values excluded). A text column becomes one-hot outputs named <c>column=category</c>,
/// categories in ordinal order; a category unseen in training encodes as all zeros and is counted.</para>
/// <para>Missing values (empty fields, and missing-value tokens in numeric and date columns): under <see cref="MissingPolicy.Impute"/> (the default) a
/// numeric value becomes the training median, and a column that had missing values in the training
/// rows gains a 0/1 input <c>column_missing</c> right after its value, so the network can tell a filled
/// value from a real one; a text value becomes the category <c>column=(missing)</c> when training had
/// one, all zeros (as an unseen category) otherwise. So an empty field in a later file never fails,
/// even in a column that had none in training (it is filled, with no indicator to set). Under
/// <see cref="MissingPolicy.Mean"/> a numeric value becomes the training mean (0 after scaling) and a
/// text value all zeros, with no indicator; under <see cref="MissingPolicy.Drop"/> the row is left out;
/// under <see cref="MissingPolicy.Error"/> they are an error. Targets are never imputed or scaled here:
/// rows with a missing target are left out and counted (an error under Error).</para>
/// </remarks>
public sealed class TableEncoder
{
    private readonly TableEncoderState _state;
    private readonly MissingPolicy _missing;
    private readonly string[] _featureNames;

    private TableEncoder(TableEncoderState state, MissingPolicy missing, IReadOnlyList<string>? notices = null)
    {
        _state = state;
        _missing = missing;
        Notices = notices ?? [];
        Numbers = new NumberReader(state.DecimalSeparator ?? '.', state.MissingTokens ?? []);
        Columns = new FeatureColumn[state.Columns.Count];
        var names = new List<string>();
        var means = new List<double>();
        var scales = new List<double>();
        int offset = 0;
        for (int f = 0; f < Columns.Length; f++)
        {
            var c = state.Columns[f];
            int numericIndex = -1;
            if (c.Kind != ColumnKind.Text)
            {
                numericIndex = means.Count;
                means.Add(c.Mean!.Value);
                scales.Add(c.Scale!.Value);
                if (c.Kind == ColumnKind.Date)
                    names.AddRange(DateField.Parts.Select(p => c.Name + ":" + p));
                else
                    names.Add(c.Name);
                if (c.MissingIndicator)
                    names.Add(c.Name + MissingSuffix);
            }
            else
            {
                foreach (var category in c.Categories!)
                    names.Add(c.Name + "=" + category);
                if (c.MissingIndicator)
                    names.Add(c.Name + "=" + MissingCategory);
            }
            Columns[f] = new FeatureColumn(c, offset, numericIndex);
            offset += Columns[f].Width;
        }
        _featureNames = [.. names];
        Scaler = new Standardizer([.. means], [.. scales]);
        TargetNames = [.. state.Targets];
    }

    /// <summary>Ends the name of a numeric column's "was missing" input: <c>bmi_missing</c>.</summary>
    internal const string MissingSuffix = "_missing";

    /// <summary>The category a text column's missing values form (input name <c>city=(missing)</c>); never a real value's name, which the one-hot inputs keep.</summary>
    internal const string MissingCategory = "(missing)";

    internal FeatureColumn[] Columns { get; }

    /// <summary>How the training file's numbers were written: decimal separator and missing-value tokens.</summary>
    internal NumberReader Numbers { get; }

    /// <summary>
    /// What fitting found about the columns that the user should know: columns left out (identifiers,
    /// a single value), row counters, a name matched in another case. Empty for an encoder rebuilt from a state.
    /// </summary>
    public IReadOnlyList<string> Notices { get; }

    /// <summary>Scaling of the numeric features, in the order they appear among the columns.</summary>
    internal Standardizer Scaler { get; }

    /// <summary>Names of the encoded outputs: <c>bmi</c> for numeric, <c>sex=2</c> for each one-hot level.</summary>
    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Target column names in output order.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>Width of an encoded feature row.</summary>
    public int FeatureCount => _featureNames.Length;

    /// <summary>Number of targets.</summary>
    public int TargetCount => TargetNames.Count;

    /// <summary>Missing value policy: the one fixed at fit time, unless <see cref="WithMissing"/> chose another.</summary>
    public MissingPolicy Missing => _missing;

    /// <summary>
    /// This encoding with another policy for the empty feature fields of the data it encodes; the
    /// inputs, fill values and was-missing inputs stay the fitted ones, and <see cref="State"/> keeps
    /// the policy fixed at fit time.
    /// </summary>
    public TableEncoder WithMissing(MissingPolicy policy)
    {
        if (!Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Missing must be Impute, Error, Drop or Mean.");
        return new TableEncoder(_state, policy, Notices) { Types = Types };
    }

    /// <summary>The fitted state for the model file; pass it to <see cref="FromState"/> to rebuild this encoder.</summary>
    public TableEncoderState State => _state;

    /// <summary>Learns the encoding from a training table.</summary>
    /// <param name="table">Training data.</param>
    /// <param name="options">Targets, ignored columns and missing policy.</param>
    /// <exception cref="DataFormatException">
    /// Unknown target or ignored column (the message lists the columns), a column both target and
    /// ignored, no features left, a text or NaN value in a target, NaN in a numeric feature, missing
    /// values under <see cref="MissingPolicy.Error"/>, no rows left after dropping, or a feature column
    /// with no values in the rows used.
    /// </exception>
    public static TableEncoder Fit(DataTable table, EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Targets);
        ArgumentNullException.ThrowIfNull(options.Ignore);
        if (!Enum.IsDefined(options.Missing))
            throw new ArgumentOutOfRangeException(nameof(options), options.Missing, "Missing must be Error, Drop, Mean or Impute.");
        string? file = table.SourcePath;

        if (options.Targets.Count == 0)
            throw new DataFormatException("no target column given; name at least one target column", file);
        var notices = new List<string>();
        int Find(string name, string role) => ColumnNameMatch.Find(table.ColumnNames, name, role, file, notices);
        var targetIndex = new int[options.Targets.Count];
        for (int t = 0; t < targetIndex.Length; t++)
        {
            targetIndex[t] = Find(options.Targets[t], "target");
            if (Array.IndexOf(targetIndex, targetIndex[t], 0, t) >= 0)
                throw new DataFormatException("target column is given twice", file, column: options.Targets[t]);
        }
        var ignored = new HashSet<int>();
        var ignoredNames = new List<string>();
        foreach (var name in options.Ignore)
        {
            int j = Find(name, "ignored");
            ignoredNames.Add(table.ColumnNames[j]);
            if (Array.IndexOf(targetIndex, j) >= 0)
                throw new DataFormatException("column is both a target and ignored; remove it from one of the two lists", file, column: name);
            ignored.Add(j);
        }
        var featureIndex = new List<int>();
        for (int j = 0; j < table.ColumnCount; j++)
            if (!ignored.Contains(j) && Array.IndexOf(targetIndex, j) < 0)
                featureIndex.Add(j);
        if (featureIndex.Count == 0)
            throw new DataFormatException("no feature columns left: every column is a target or ignored", file);

        options = options with
        {
            TextColumns = [.. options.TextColumns.Select(n => table.ColumnNames[Find(n, "text")])],
            KeepColumns = [.. options.KeepColumns.Select(n => table.ColumnNames[Find(n, "kept")])],
        };
        var types = options.Types ?? ColumnTypes.Of(table, featureIndex, targetIndex, options, notices);
        var numbers = types.Numbers;
        foreach (int j in targetIndex)
            CheckNumericTarget(table, j, numbers);
        featureIndex.RemoveAll(j => types.Excluded.Contains(table.ColumnNames[j]));
        if (featureIndex.Count == 0)
            throw ColumnTypes.NoFeaturesLeft(file);
        var kinds = featureIndex.Select(j => types.KindOf(table.ColumnNames[j])).ToArray();
        // Tokens such as NA are missing values only in numbers: in text they are categories.
        var isText = new bool[table.ColumnCount];
        for (int f = 0; f < kinds.Length; f++)
            isText[featureIndex[f]] = kinds[f] == ColumnKind.Text;
        bool IsMissing(int row, int j) => numbers.IsMissing(table[row, j], isText[j]);

        // The rows fitting uses are the rows Encode will keep for this same table.
        var kept = new List<int>(table.RowCount);
        var missing = new MissingReport(table);
        for (int i = 0; i < table.RowCount; i++)
        {
            int m = FirstMissing(i, targetIndex, IsMissing);
            if (m < 0 && !RowEncoder.Fills(options.Missing))
                m = FirstMissing(i, featureIndex, IsMissing);
            if (m < 0)
                kept.Add(i);
            else if (options.Missing == MissingPolicy.Error)
                missing.Add(i, table.ColumnNames[m], Array.IndexOf(targetIndex, m) >= 0);
        }
        missing.ThrowIfAny();
        if (kept.Count == 0)
            throw new DataFormatException(RowEncoder.Fills(options.Missing)
                ? $"no rows left: all {table.RowCount} rows have a missing value in the target; fill in target values"
                : $"no rows left: all {table.RowCount} rows have a missing value; use --missing impute (the default) or --missing mean to fill missing features, or ignore the columns with many missing values",
                file);

        bool impute = options.Missing == MissingPolicy.Impute;
        var columns = new FeatureColumnState[featureIndex.Count];
        for (int f = 0; f < columns.Length; f++)
        {
            int j = featureIndex[f];
            string name = table.ColumnNames[j];
            var values = table.Column(j);
            bool hadMissing = impute && kept.Exists(i => IsMissing(i, j));
            if (kinds[f] != ColumnKind.Text)
            {
                var x = new List<double>(kept.Count);
                foreach (int i in kept)
                    if (ColumnValue(kinds[f], numbers, values[i]) is double v)
                        x.Add(v);
                if (x.Count == 0)
                    throw EmptyColumn(file, name);
                var observed = x.ToArray();
                var s = Standardizer.Fit(observed, 1);
                columns[f] = new FeatureColumnState
                {
                    Name = name,
                    Kind = kinds[f],
                    Mean = s.Mean[0],
                    Scale = s.Scale[0],
                    // The median rather than the mean: as good on the development data, and a typical value of a skewed column.
                    // A missing date takes the mean day, which also centres its cycles.
                    Fill = impute && kinds[f] == ColumnKind.Numeric ? MedianSample.Of(observed) : null, // last: it sorts in place
                    MissingIndicator = hadMissing,
                };
            }
            else
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                foreach (int i in kept)
                    if (values[i].Length > 0)
                        set.Add(values[i]);
                if (set.Count == 0)
                    throw EmptyColumn(file, name);
                var categories = set.ToArray();
                Array.Sort(categories, string.CompareOrdinal);
                columns[f] = new FeatureColumnState { Name = name, Kind = ColumnKind.Text, Categories = categories, MissingIndicator = hadMissing };
            }
        }

        return new TableEncoder(new TableEncoderState
        {
            Columns = columns,
            Targets = [.. targetIndex.Select(j => table.ColumnNames[j])],
            Ignore = [.. ignoredNames, .. types.Excluded],
            Missing = options.Missing,
            DecimalSeparator = numbers.Decimal,
            MissingTokens = numbers.Tokens,
        }, options.Missing, notices)
        { Types = types };
    }

    /// <summary>The column types decided when fitting on a table (null when rebuilt from a state or fitted on a stream).</summary>
    internal ColumnTypes? Types { get; private init; }

    /// <summary>
    /// Fits the encoding on a file without loading it: two streaming passes, memory bounded by the
    /// columns and categories rather than the rows. Same rules as <see cref="Fit"/>, except that a
    /// missing value under <see cref="MissingPolicy.Error"/> stops at the first one found, and that under
    /// <see cref="MissingPolicy.Impute"/> the medians come from a sample of at most 16,384 values per
    /// column (exact for fewer).
    /// </summary>
    /// <param name="path">The CSV or TSV file.</param>
    /// <param name="csv">Header and separator options.</param>
    /// <param name="options">Targets, ignored columns and missing policy.</param>
    /// <param name="targetStatistics">Mean and population deviation of each target over the rows used.</param>
    /// <exception cref="DataFormatException">As for <see cref="Fit"/>, with the file, line and column.</exception>
    public static TableEncoder FitFile(string path, CsvOptions csv, EncoderOptions options, out Preprocessing.Standardizer targetStatistics)
    {
        var fit = StreamingFit.Fit(path, csv, options);
        targetStatistics = fit.Targets;
        return fit.Encoder;
    }

    /// <summary>Encodes a table (the training table or any later one) with the fitted encoding.</summary>
    /// <returns>
    /// The encoded rows: inputs <c>[rows, FeatureCount]</c>, and raw (unscaled) targets
    /// <c>[rows, TargetCount]</c>. When targets are not required, a missing target is NaN (the row is
    /// kept so it still gets a prediction; skip such rows when scoring), and a table without the
    /// target columns gives no targets at all (<see cref="DataSet.Outputs"/> 0).
    /// </returns>
    /// <param name="table">Data with at least the feature columns, matched by name in any order.</param>
    /// <param name="requireTargets">
    /// True for training/evaluation: the target columns must exist and rows with a missing target are
    /// dropped or an error as the policy says. False for prediction: targets are encoded only if all
    /// target columns exist, a missing target becomes NaN and never drops a row.
    /// </param>
    /// <exception cref="DataFormatException">
    /// A feature (or required target) column is absent, a value is malformed (text in a numeric column,
    /// NaN), or there are missing values under <see cref="MissingPolicy.Error"/>.
    /// </exception>
    public DataSet Encode(DataTable table, bool requireTargets) => Encode(table, requireTargets, out _);

    /// <inheritdoc cref="Encode(DataTable, bool)"/>
    /// <param name="table">Data with at least the feature columns, matched by name in any order.</param>
    /// <param name="requireTargets">As for <see cref="Encode(DataTable, bool)"/>.</param>
    /// <param name="summary">Which source rows were encoded, how many were dropped, and the categories not seen in training.</param>
    public DataSet Encode(DataTable table, bool requireTargets, out EncodingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(table);
        var encoder = CreateRowEncoder(table.ColumnNames, table.SourcePath, table.Separator);
        if (requireTargets && !encoder.HasTargets)
        {
            string absent = TargetNames.First(t => table.IndexOf(t) < 0);
            throw CsvSource.UnknownColumn(table.SourcePath, "target", absent, table.ColumnNames);
        }
        bool withTargets = encoder.HasTargets;
        var features = new double[table.RowCount * FeatureCount];
        var targets = withTargets ? new double[table.RowCount * TargetCount] : null;
        var sourceRows = new List<int>(table.RowCount);
        var missing = new MissingReport(table);
        int dropped = 0, targetMissing = 0;
        int[] targetColumns = withTargets ? [.. TargetNames.Select(table.IndexOf)] : [];
        for (int i = 0; i < table.RowCount; i++)
        {
            int r = sourceRows.Count;
            var y = targets is null ? default : targets.AsSpan(r * TargetCount, TargetCount);
            bool ok = encoder.TryEncodeCore(new TableRowFields(table, i), features.AsSpan(r * FeatureCount, FeatureCount), y,
                missingTargetIsNaN: !requireTargets, out string? missingColumn);
            if (ok)
                sourceRows.Add(i);
            else if (Missing == MissingPolicy.Error)
                missing.Add(i, missingColumn!, TargetNames.Contains(missingColumn!));
            else
            {
                dropped++;
                if (targetColumns.Any(j => Numbers.IsMissing(table[i, j])))
                    targetMissing++;
            }
        }
        missing.ThrowIfAny();
        int rows = sourceRows.Count;
        if (rows < table.RowCount)
        {
            Array.Resize(ref features, rows * FeatureCount);
            if (targets is not null)
                Array.Resize(ref targets, rows * TargetCount);
        }
        summary = new EncodingSummary([.. sourceRows], dropped, encoder.UnseenCategories)
        {
            MissingTargetRows = targetMissing,
            FilledCells = encoder.FilledCells,
        };
        return new DataSet(features, FeatureCount, targets ?? [], targets is null ? 0 : TargetCount);
    }

    /// <summary>
    /// Prepares row-at-a-time encoding for a source with the given header, resolving each feature
    /// and target column's position once.
    /// </summary>
    /// <param name="columnNames">The source's column names, in field order.</param>
    /// <param name="sourceName">File name for error messages.</param>
    /// <exception cref="DataFormatException">A feature column is not in <paramref name="columnNames"/>.</exception>
    public RowEncoder CreateRowEncoder(IReadOnlyList<string> columnNames, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        return new RowEncoder(this, columnNames, sourceName, Numbers);
    }

    /// <summary>
    /// As <see cref="CreateRowEncoder(IReadOnlyList{string}, string?)"/> for a file with the given
    /// field separator: numbers are read with the training file's decimal separator, except in a
    /// comma-separated file, which cannot write decimal commas unquoted and so is read with points.
    /// </summary>
    internal RowEncoder CreateRowEncoder(IReadOnlyList<string> columnNames, string? sourceName, char fieldSeparator) =>
        new(this, columnNames, sourceName, NumbersFor(fieldSeparator));

    private NumberReader NumbersFor(char fieldSeparator) =>
        fieldSeparator == ',' && Numbers.Decimal == ',' ? new NumberReader('.', Numbers.Tokens) : Numbers;

    /// <summary>An encoder fitted elsewhere (streaming), with what its fit noticed; the state is validated.</summary>
    internal static TableEncoder Fitted(TableEncoderState state, IReadOnlyList<string> notices)
    {
        StateValidator.Validate(state);
        return new TableEncoder(state, state.Missing, notices);
    }

    /// <summary>Rebuilds an encoder from a state, e.g. one read back from a model file.</summary>
    /// <exception cref="InvalidDataException">The state is inconsistent: null or empty names, duplicate names
    /// or categories, unsorted categories, non-finite means or scales, a scale not above 0, or an unknown enum value.</exception>
    public static TableEncoder FromState(TableEncoderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StateValidator.Validate(state);
        return new TableEncoder(state, state.Missing);
    }

    private static void CheckNumericTarget(DataTable table, int j, NumberReader numbers)
    {
        var values = table.Column(j);
        for (int i = 0; i < values.Count; i++)
        {
            switch (numbers.Read(values[i], out _))
            {
                case FieldValue.NotANumber:
                    throw FieldParser.NotANumberError(values[i], table.SourcePath, table.LineNumber(i), table.ColumnNames[j],
                        "a target column must be numeric; pick a numeric target or fix the value");
                case FieldValue.NonFinite:
                    throw FieldParser.NonFiniteError(values[i], table.SourcePath, table.LineNumber(i), table.ColumnNames[j]);
            }
        }
    }

    /// <summary>The number a numeric or date field is scaled as (a date's day count), or null when it is missing.</summary>
    internal static double? ColumnValue(ColumnKind kind, NumberReader numbers, ReadOnlySpan<char> field)
    {
        if (kind == ColumnKind.Date)
            return !numbers.IsMissing(field) && DateField.TryRead(field, out var date) ? DateField.Days(date) : null;
        return numbers.Read(field, out double v) == FieldValue.Number ? v : null;
    }

    private static int FirstMissing(int row, IReadOnlyList<int> columns, Func<int, int, bool> isMissing)
    {
        foreach (int j in columns)
            if (isMissing(row, j))
                return j;
        return -1;
    }

    private static DataFormatException EmptyColumn(string? file, string name) =>
        new("column has no values in the rows used for training; ignore it (--ignore)", file, column: name);

    /// <summary>Collects missing-value places so one error can say how many rows and where the first are.</summary>
    private sealed class MissingReport(DataTable table)
    {
        private const int Shown = 5;
        private readonly List<(long Line, string Column, string Value)> _first = [];
        private int _rows;
        private bool _target;

        public void Add(int row, string column, bool isTarget)
        {
            _rows++;
            _target |= isTarget;
            if (_first.Count < Shown)
                _first.Add((table.LineNumber(row), column, table[row, table.IndexOf(column)]));
        }

        public void ThrowIfAny()
        {
            if (_rows == 0)
                return;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{_rows} of {table.RowCount} rows have missing values (empty fields or tokens such as NA), first at ");
            sb.AppendJoin(", ", _first.Select(p => string.Create(CultureInfo.InvariantCulture, $"line {p.Line} column '{p.Column}'{(p.Value.Length > 0 ? " (" + DataFormatException.Show(p.Value) + ")" : "")}")));
            if (_rows > _first.Count)
                sb.Append(", ...");
            sb.Append("; leave out --missing error to fill them (the default, --missing impute), or use --missing drop or --missing mean");
            if (_target)
                sb.Append(" (rows with a missing target are dropped either way)");
            throw new DataFormatException(sb.ToString(), table.SourcePath, _first[0].Line, _first[0].Column);
        }
    }
}
