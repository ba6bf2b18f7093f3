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
}
