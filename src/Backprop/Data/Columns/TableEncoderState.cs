namespace Backprop.Data.Columns;

/// <summary>
/// Everything a <see cref="TableEncoder"/> learned, as plain data for the model file. Serializes with
/// System.Text.Json's default options; doubles round-trip bit-exactly and enums are written as names.
/// Load it back with <see cref="TableEncoder.FromState"/>, which validates it.
/// </summary>
public sealed record TableEncoderState
{
    /// <summary>Feature columns in file order, one entry per source column (not per one-hot output).</summary>
    public required IReadOnlyList<FeatureColumnState> Columns { get; init; }

    /// <summary>Target column names, in output order.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Columns that were ignored at fit time (kept for reporting; not needed to encode).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Missing value policy used at fit time and applied again when encoding.</summary>
    public MissingPolicy Missing { get; init; }

    /// <summary>
    /// The decimal separator of the training file's numbers, ',' when it used decimal commas; null
    /// (files written before it was recorded) means '.'. Files read later with a comma as field
    /// separator are read with '.', whatever this says.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>
    /// Every token read as missing in a numeric column (besides an empty field); null (files written
    /// before it was recorded) means the standard ones.
    /// </summary>
    public IReadOnlyList<string>? MissingTokens { get; init; }
}
