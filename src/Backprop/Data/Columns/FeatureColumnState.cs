using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>One fitted feature column inside <see cref="TableEncoderState"/>.</summary>
public sealed record FeatureColumnState
{
    /// <summary>Column name as in the training file's header.</summary>
    public required string Name { get; init; }

    /// <summary>Numeric (one standardized output), text (one-hot outputs) or date (the standardized day count and four cycle outputs).</summary>
    public required ColumnKind Kind { get; init; }

    /// <summary>Training mean (of the day count for a date; null for text). Encoded value = (x - Mean) / Scale.</summary>
    public double? Mean { get; init; }

    /// <summary>Training population standard deviation, or 1 for a constant column (null for text).</summary>
    public double? Scale { get; init; }

    /// <summary>Training categories, distinct and in ordinal order (text only; null for numeric).</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>
    /// The value a missing field of this numeric column is read as (<see cref="MissingPolicy.Impute"/>:
    /// the training median); null means <see cref="Mean"/>, as files written before this field did.
    /// </summary>
    public double? Fill { get; init; }

    /// <summary>
    /// The column had missing values in training, so it has one more input, 1 when the field is empty
    /// and 0 otherwise (<see cref="MissingPolicy.Impute"/> only): right after a numeric column's value,
    /// named <c>column_missing</c>; after a text column's categories, named <c>column=(missing)</c>.
    /// </summary>
    public bool MissingIndicator { get; init; }
}
