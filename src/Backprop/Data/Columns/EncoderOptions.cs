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

    /// <summary>Missing value policy; see <see cref="MissingPolicy"/>.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.Impute;
}
