using System.Globalization;
using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>
/// The types of a file's columns, decided once from every value: the file's decimal separator, which
/// feature columns are numbers and which are text, which are left out (identifiers, a single value),
/// and the notices that say so. A numeric column with a few values that are not numbers stops here,
/// naming them, rather than becoming categories.
/// </summary>
internal sealed class ColumnTypes
{
    /// <summary>
    /// A column whose non-missing values are more than this share numbers is a numeric column with bad
    /// values (an error), not text. Otherwise it is text: a code column such as 4, f, r is text even
    /// when most of its values are digits, as long as at least a fifth of them are not.
    /// </summary>
    public const double MostlyNumbers = 0.8;

    /// <summary>A text column with at least this share of distinct values (and <see cref="IdentifierMinRows"/> values) is an identifier.</summary>
    public const double IdentifierShare = 0.9;

    /// <summary>Below this many non-empty values, distinct values do not mark a column as an identifier.</summary>
    public const int IdentifierMinRows = 20;

    private readonly Dictionary<string, ColumnKind> _kinds;

    private ColumnTypes(NumberReader numbers, Dictionary<string, ColumnKind> kinds, IReadOnlyList<string> excluded, IReadOnlyList<string> notices)
    {
        Numbers = numbers;
        _kinds = kinds;
        Excluded = excluded;
        Notices = notices;
    }

    /// <summary>How numeric columns (and targets) are read.</summary>
    public NumberReader Numbers { get; }

    /// <summary>Feature columns left out because they cannot help (identifiers, a single value).</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>What the user should know about the columns: what was left out and why, row counters.</summary>
    public IReadOnlyList<string> Notices { get; }

    /// <summary>The kind of a feature column that is used.</summary>
    public ColumnKind KindOf(string column) => _kinds[column];

    /// <summary>The readers a survey needs: a decimal point, and a decimal comma when it could be the file's.</summary>
    /// <exception cref="DataFormatException">A decimal comma was asked for in a comma-separated file.</exception>
    public static NumberReader[] Candidates(EncoderOptions options, char? fileSeparator, string? file)
    {
        // Later files of a model are read with a point whenever they are comma-separated, so a
        // model fitted with commas there would read its own training file differently afterwards.
        if (options.DecimalSeparator == ',' && fileSeparator == ',')
            throw new DataFormatException("--decimal , cannot be used with a comma-separated file or a Parquet file, whose numbers are read with a decimal point (also by predict and evaluate); write the file with ';' or tab separators to use decimal commas", file);
        if (options.DecimalSeparator is char given)
            return [new NumberReader(given, options.MissingTokens)];
        var point = new NumberReader('.', options.MissingTokens);
        return fileSeparator == ',' ? [point] : [point, new NumberReader(',', options.MissingTokens)];
    }

    /// <summary>Surveys every feature and target column of a loaded table and decides.</summary>
    public static ColumnTypes Of(DataTable table, IReadOnlyList<int> features, IReadOnlyList<int> targets, EncoderOptions options, List<string> notices)
    {
        var readers = Candidates(options, table.Separator, table.SourcePath);
        ColumnSurvey Survey(int j)
        {
            var survey = new ColumnSurvey(table.ColumnNames[j], readers, table.DeclaredKinds?[j]);
            var values = table.Column(j);
            for (int i = 0; i < values.Count; i++)
                survey.Add(values[i], table.LineNumber(i));
            return survey;
        }
        return Decide(features.Select(Survey).ToArray(), targets.Select(Survey).ToArray(), options, table.SourcePath, notices);
    }

    /// <summary>Decides from finished surveys of the feature and target columns.</summary>
    /// <exception cref="DataFormatException">A column is mostly numbers with a few other values, or a numeric column holds NaN or infinity.</exception>
    public static ColumnTypes Decide(IReadOnlyList<ColumnSurvey> features, IReadOnlyList<ColumnSurvey> targets, EncoderOptions options, string? file, List<string> notices)
    {
        var numbers = DecimalOf(features.Concat(targets).ToArray(), options);
        var kinds = new Dictionary<string, ColumnKind>(StringComparer.Ordinal);
        var excluded = new List<string>();
        foreach (var survey in features)
        {
            string name = survey.Name;
            bool declaredText = options.TextColumns.Contains(name);
            bool keep = options.KeepColumns.Contains(name);
            // A schema's word is final; its number columns still go through KindOf, which stops at infinity.
            var kind = declaredText ? ColumnKind.Text
                : survey.Declared is ColumnKind.Text or ColumnKind.Date ? survey.Declared.Value
                : KindOf(survey, numbers, file);
            if (!keep && survey.OnlyValue is { } only && survey.Empty == 0)
            {
                excluded.Add(name);
                notices.Add($"column '{name}' has the same value ({DataFormatException.Show(only)}) in every row, so it cannot help; it is left out (--keep {name} to use it anyway).");
                continue;
            }
            if (!keep && !declaredText && kind == ColumnKind.Text && IsIdentifier(survey))
            {
                excluded.Add(name);
                notices.Add($"column '{name}' looks like an identifier or a name ({Count(survey)} distinct values in {survey.Rows - survey.Empty} rows), so it is left out; categories seen once cannot help predict (--keep {name} to use it as categories).");
                continue;
            }
            if (kind == ColumnKind.Numeric && survey.CountsFrom is not null)
                notices.Add($"column '{name}' counts the rows ({(survey.CountsFrom == 0 ? "0, 1, 2, ..." : "1, 2, 3, ...")}); it is used as a number, but a row number seldom helps predict and can mislead (--ignore {name} to leave it out).");
            kinds[name] = kind;
        }
        return new ColumnTypes(numbers, kinds, excluded, notices);
    }

    /// <summary>The error when the columns left out as useless were the last features.</summary>
    public static DataFormatException NoFeaturesLeft(string? file) =>
        new("no feature columns left: every column is a target, ignored, or left out as useless (see the notes; --keep uses such a column)", file);

    private static ColumnKind KindOf(ColumnSurvey survey, NumberReader numbers, string? file)
    {
        if (survey.Dates > 0 && survey.NotDates == 0)
            return ColumnKind.Date;
        var read = survey.With(numbers.Decimal);
        if (read.NotNumbers > 0 && survey.Readings.FirstOrDefault(r => r.AllNumbers) is { } other)
            throw OtherDecimal(survey, read, other.Reader.Decimal, file);
        if (read.NotNumbers == 0)
        {
            if (read.FirstNonFinite is var (line, value))
                throw FieldParser.NonFiniteError(value, file, line, survey.Name);
            // Only missing values (empty or tokens such as NA): no numbers to learn from, so the
            // tokens are read as the labels they are written as.
            return read.Numbers > 0 || survey.Rows == survey.Empty ? ColumnKind.Numeric : ColumnKind.Text;
        }
        if (read.Numbers <= MostlyNumbers * (read.Numbers + read.NotNumbers))
            return ColumnKind.Text;
        throw MostlyNumeric(survey, read, numbers, file);
    }

    private static DataFormatException MostlyNumeric(ColumnSurvey survey, ColumnSurvey.Reading read, NumberReader numbers, string? file)
    {
        long total = read.Numbers + read.NotNumbers;
        string decimalHint = numbers.Decimal == '.' && read.FirstNotNumbers.Any(p => p.Value.Contains(','))
            ? "--decimal , if the file writes decimals with a comma, "
            : numbers.Decimal == ',' && read.FirstNotNumbers.Any(p => p.Value.Contains('.'))
                ? "--decimal . if the file writes decimals with a point, "
                : "";
        return new DataFormatException(
            string.Create(CultureInfo.InvariantCulture,
                $"{read.Numbers} of {total} values are numbers but {read.NotNumbers} {(read.NotNumbers == 1 ? "is" : "are")} not: {Examples(read)}; " +
                $"fix them, mark them missing with --na {NaExample(read)}, {decimalHint}or read the column as categories with --text {survey.Name}"),
            file, column: survey.Name);
    }

    // The column reads as numbers only with the separator the file as a whole does not use.
    private static DataFormatException OtherDecimal(ColumnSurvey survey, ColumnSurvey.Reading read, char other, string? file)
    {
        string kind = other == ',' ? "a decimal comma" : "a decimal point";
        string others = other == ',' ? "decimal points" : "decimal commas";
        return new DataFormatException(
            $"its values are numbers only with {kind} ({Examples(read)}) but other columns have {others}, so the file's decimal separator is unclear; " +
            $"give --decimal {other} or --decimal {(other == ',' ? '.' : ',')}, or read the column as categories with --text {survey.Name}",
            file, column: survey.Name);
    }

    private static string Examples(ColumnSurvey.Reading read) =>
        string.Join(", ", read.FirstNotNumbers.Select(p => string.Create(CultureInfo.InvariantCulture, $"{DataFormatException.Show(p.Value)} (line {p.Line})")))
        + (read.NotNumbers > ColumnSurvey.Examples ? ", ..." : "");

    private static string NaExample(ColumnSurvey.Reading read) =>
        read.FirstNotNumbers.Count > 0 && read.FirstNotNumbers[0].Value is { Length: > 0 and <= 20 } v && !v.Contains(',') ? v : "VALUE";

    private static bool IsIdentifier(ColumnSurvey survey)
    {
        long values = survey.Rows - survey.Empty;
        return survey.ManyDistinct || (values >= IdentifierMinRows && survey.Distinct >= IdentifierShare * values);
    }

    private static string Count(ColumnSurvey survey) =>
        survey.ManyDistinct ? "more than " + survey.Distinct.ToString(CultureInfo.InvariantCulture) : survey.Distinct.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The file's decimal separator: the one given; else a comma when some column's numbers are
    /// written with one and no column reads only with a point (<c>3.25</c>); else a point.
    /// </summary>
    private static NumberReader DecimalOf(IReadOnlyList<ColumnSurvey> columns, EncoderOptions options)
    {
        var first = columns[0];
        if (options.DecimalSeparator is char given)
            return first.With(given).Reader;
        var point = first.With('.').Reader;
        if (!first.HasReading(','))
            return point;
        bool pointOnly = columns.Any(c => c.With('.').AllNumbers && !c.With(',').AllNumbers);
        bool commaNumbers = columns.Any(c => c.With(',').AllNumbers && c.With(',').WithComma > 0);
        return !pointOnly && commaNumbers ? first.With(',').Reader : point;
    }
}
