namespace Backprop.Data.Columns;

/// <summary>Which columns a <see cref="TableEncoder"/> uses, and how it treats missing values.</summary>
public sealed record EncoderOptions
{
    /// <summary>Target column names (at least one); they must be numeric.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Columns that are neither features nor targets (ids, leaks).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>
    /// Columns to treat as text whatever the fitted rows hold. A column's kind comes from all of its
    /// values: when fitting on a subset of a file (a train split), pass the file's text columns so
    /// that a column whose few text values all fell outside the subset is not taken for numeric.
    /// </summary>
    public IReadOnlyList<string> TextColumns { get; init; } = [];

    /// <summary>
    /// Columns to use even when they look useless: an identifier-like text column (nearly every value
    /// distinct) or a column with one value in every row, which are otherwise left out with a notice.
    /// </summary>
    public IReadOnlyList<string> KeepColumns { get; init; } = [];

    /// <summary>
    /// The decimal separator of the file's numbers, '.' or ','; null to detect it: a point in a
    /// comma-separated file, otherwise a comma when some column's numbers are written with one and
    /// none reads only with a point.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>
    /// Values read as missing in a numeric column, besides the empty field and the standard tokens
    /// (NA, N/A, n/a, NaN, nan, null, NULL, ?). In a text column they stay ordinary categories.
    /// </summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = [];

    /// <summary>The column types decided on the whole file, when fitting on part of it (a train split).</summary>
    internal ColumnTypes? Types { get; init; }

    /// <summary>Missing value policy; see <see cref="MissingPolicy"/>.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.Impute;
}
