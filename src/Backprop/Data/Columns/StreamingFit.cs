using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>
/// Fits a <see cref="TableEncoder"/> on a file too large to load, in two streaming passes: the first
/// decides each column's type from all of its values (<see cref="ColumnTypes"/>), the second applies
/// the missing-value policy and accumulates means and deviations (Welford), the categories of text
/// columns and, under <see cref="MissingPolicy.Impute"/>, the medians of numeric columns (from a
/// bounded sample, <see cref="MedianSample"/>). Memory is bounded by the number of columns and
/// categories, not rows.
/// </summary>
internal static class StreamingFit
{
    /// <summary>The fitted encoder, the targets' statistics, and what missing values did to the rows fitted on.</summary>
    /// <param name="Encoder">The encoding.</param>
    /// <param name="Targets">Mean and population deviation of each target over the rows used.</param>
    /// <param name="TargetRows">Rows left out because a target was empty.</param>
    /// <param name="FeatureRows">Rows left out because a feature was empty (<see cref="MissingPolicy.Drop"/>).</param>
    /// <param name="FilledCells">Per feature column with any, the empty fields the encoder fills.</param>
    public sealed record Result(TableEncoder Encoder, Preprocessing.Standardizer Targets, long TargetRows, long FeatureRows, IReadOnlyDictionary<string, long> FilledCells);

    public static Result Fit(string path, CsvOptions csv, EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] names;
        int[] targets, features;
        var isText = Array.Empty<bool>();
        var kinds = Array.Empty<ColumnKind>();
        var notices = new List<string>();
        ColumnTypes types;
        using (var reader = DataFiles.Open(path, csv))
        {
            names = [.. reader.ColumnNames];
            (targets, features, options) = Roles(names, options, path, notices);
            var readers = ColumnTypes.Candidates(options, reader.Separator, path);
            var surveys = new ColumnSurvey[names.Length];
            int[] surveyed = [.. targets, .. features];
            foreach (int j in surveyed)
                surveys[j] = new ColumnSurvey(names[j], readers, reader.DeclaredKinds?[j]);
            long rows = 0;
            while (reader.MoveNext())
            {
                rows++;
                foreach (int j in surveyed)
                    surveys[j].Add(reader[j], reader.Line);
            }
            if (rows == 0)
                throw CsvSource.NoDataRows(path);
            types = ColumnTypes.Decide(features.Select(j => surveys[j]).ToArray(), targets.Select(j => surveys[j]).ToArray(), options, path, notices);
            features = features.Where(j => !types.Excluded.Contains(names[j])).ToArray();
            if (features.Length == 0)
                throw ColumnTypes.NoFeaturesLeft(path);
            isText = new bool[names.Length];
            kinds = new ColumnKind[names.Length];
            foreach (int j in features)
            {
                kinds[j] = types.KindOf(names[j]);
                isText[j] = kinds[j] == ColumnKind.Text;
            }
            foreach (int j in targets)
            {
                var read = surveys[j].With(types.Numbers.Decimal);
                if (read.FirstNotNumbers.Count > 0)
                    throw FieldParser.NotANumberError(read.FirstNotNumbers[0].Value, path, read.FirstNotNumbers[0].Line, names[j], "targets must be numbers");
                if (read.FirstNonFinite is var (line, value))
                    throw FieldParser.NonFiniteError(value, path, line, names[j]);
            }
        }
        var numbers = types.Numbers;
        bool IsMissing(IRowReader row, int j) => numbers.IsMissing(row[j], isText[j]);
        bool stopAtMissing = options.Missing == MissingPolicy.Error;

        var count = new double[names.Length];
        var mean = new double[names.Length];
        var m2 = new double[names.Length];
        var empty = new long[names.Length];
        var categories = new HashSet<string>[names.Length];
        var medians = new MedianSample?[names.Length];
        var targetStats = new double[3 * targets.Length]; // count, mean, m2 per target
        bool fills = RowEncoder.Fills(options.Missing);
        long targetRows = 0, featureRows = 0;
        foreach (int j in features)
        {
            categories[j] = new HashSet<string>(StringComparer.Ordinal);
            if (options.Missing == MissingPolicy.Impute && kinds[j] == ColumnKind.Numeric)
                medians[j] = new MedianSample();
        }
        using (var row = DataFiles.Open(path, csv))
        {
            while (row.MoveNext())
            {
                // Under Error the first missing value stops the fit, in file order, targets first.
                if (stopAtMissing && (FirstMissing(row, targets, IsMissing) ?? FirstMissing(row, features, IsMissing)) is int column)
                    throw Missing(path, row, names[column]);
                if (AnyMissing(row, targets, IsMissing))
                {
                    targetRows++;
                    continue;
                }
                if (!fills && AnyMissing(row, features, IsMissing))
                {
                    featureRows++;
                    continue;
                }
                for (int t = 0; t < targets.Length; t++)
                {
                    numbers.Read(row[targets[t]], out double y);
                    Welford(ref targetStats[3 * t], ref targetStats[3 * t + 1], ref targetStats[3 * t + 2], y);
                }
                foreach (int j in features)
                {
                    var span = row[j];
                    if (IsMissing(row, j))
                    {
                        empty[j]++;
                        continue;
                    }
                    if (isText[j])
                    {
                        var lookup = categories[j].GetAlternateLookup<ReadOnlySpan<char>>();
                        if (!lookup.Contains(span))
                            lookup.Add(span);
                        continue;
                    }
                    double x = TableEncoder.ColumnValue(kinds[j], numbers, span)!.Value;
                    Welford(ref count[j], ref mean[j], ref m2[j], x);
                    medians[j]?.Add(x);
                }
            }
        }

        var columns = new List<FeatureColumnState>(features.Length);
        var filled = new Dictionary<string, long>(StringComparer.Ordinal);
        bool impute = options.Missing == MissingPolicy.Impute;
        foreach (int j in features)
        {
            if (empty[j] > 0)
                filled.Add(names[j], empty[j]);
            if (isText[j] ? categories[j].Count == 0 : count[j] == 0)
                throw new DataFormatException("the column has no values in the rows used; ignore it with --ignore", path, column: names[j]);
            if (isText[j])
            {
                var sorted = categories[j].ToArray();
                Array.Sort(sorted, string.CompareOrdinal);
                columns.Add(new FeatureColumnState { Name = names[j], Kind = ColumnKind.Text, Categories = sorted, MissingIndicator = impute && empty[j] > 0 });
            }
            else
            {
                columns.Add(new FeatureColumnState
                {
                    Name = names[j],
                    Kind = kinds[j],
                    Mean = mean[j],
                    Scale = Deviation(count[j], mean[j], m2[j]),
                    // A column with no empty field still gets a fill value: a later file may have one.
                    Fill = medians[j]?.Median(),
                    MissingIndicator = impute && empty[j] > 0,
                });
            }
        }
        var targetStatistics = new Preprocessing.Standardizer(
            Enumerable.Range(0, targets.Length).Select(t => targetStats[3 * t + 1]).ToArray(),
            Enumerable.Range(0, targets.Length).Select(t => Deviation(targetStats[3 * t], targetStats[3 * t + 1], targetStats[3 * t + 2])).ToArray());
        var encoder = TableEncoder.Fitted(
            new TableEncoderState
            {
                Columns = columns,
                Targets = [.. options.Targets],
                Ignore = [.. options.Ignore, .. types.Excluded],
                Missing = options.Missing,
                DecimalSeparator = numbers.Decimal,
                MissingTokens = numbers.Tokens,
            },
            notices);
        return new Result(encoder, targetStatistics, targetRows, featureRows, filled);
    }

    // One more value into a running count, mean and sum of squared deviations (Welford), which
    // stays accurate where the naive sum of squares cancels.
    private static void Welford(ref double count, ref double mean, ref double m2, double x)
    {
        double delta = x - mean;
        count++;
        mean += delta / count;
        m2 += delta * (x - mean);
    }

    // Population deviation, or 1 for a constant column (as Standardizer.Fit does).
    private static double Deviation(double count, double mean, double m2)
    {
        double sd = count > 0 ? Math.Sqrt(m2 / count) : 0;
        return sd > 1e-12 * Math.Max(1.0, Math.Abs(mean)) ? sd : 1.0;
    }

    // The target and feature columns, and the options with every column name as the file spells it.
    private static (int[] Targets, int[] Features, EncoderOptions Options) Roles(string[] names, EncoderOptions options, string path, List<string> notices)
    {
        int Index(string name, string role) => ColumnNameMatch.Find(names, name, role, path, notices);
        string[] Resolve(IEnumerable<string> given, string role) => [.. given.Select(n => names[Index(n, role)])];
        if (options.Targets.Count == 0)
            throw new DataFormatException("no target column given; name at least one target column", path);
        options = options with
        {
            Targets = Resolve(options.Targets, "target"),
            Ignore = Resolve(options.Ignore, "ignored"),
            TextColumns = Resolve(options.TextColumns, "text"),
            KeepColumns = Resolve(options.KeepColumns, "kept"),
        };
        var targets = options.Targets.Select(t => Array.IndexOf(names, t)).ToArray();
        var ignored = options.Ignore.Select(i => Array.IndexOf(names, i)).ToHashSet();
        if (targets.Any(ignored.Contains))
            throw new DataFormatException("a column is both a target and ignored; remove it from one of the two lists", path);
        var features = Enumerable.Range(0, names.Length).Where(j => !ignored.Contains(j) && !targets.Contains(j)).ToArray();
        if (features.Length == 0)
            throw new DataFormatException("no feature columns left: every column is a target or ignored", path);
        return (targets, features, options);
    }

    private static bool AnyMissing(IRowReader row, int[] columns, Func<IRowReader, int, bool> isMissing) =>
        FirstMissing(row, columns, isMissing) is not null;

    private static int? FirstMissing(IRowReader row, int[] columns, Func<IRowReader, int, bool> isMissing)
    {
        foreach (int j in columns)
        {
            if (isMissing(row, j))
                return j;
        }
        return null;
    }

    private static DataFormatException Missing(string path, IRowReader row, string column) =>
        new("value is missing (an empty field or a token such as NA); leave out --missing error to fill missing values (the default, --missing impute), or use --missing drop to leave such rows out", path, row.Line, column);
}
