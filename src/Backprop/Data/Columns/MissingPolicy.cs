using System.Text.Json.Serialization;

namespace Backprop.Data.Columns;

/// <summary>What to do with missing values: empty fields, and in numeric and date columns the missing-value tokens (NA, NaN, null, ...; see <see cref="Csv.NumberReader"/>).</summary>
/// <remarks>Under every policy a row whose target is empty is never imputed: it is left out and counted (an error under <see cref="Error"/>).</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<MissingPolicy>))]
public enum MissingPolicy
{
    /// <summary>Any missing feature or target value is a <see cref="DataFormatException"/>.</summary>
    Error,

    /// <summary>Rows with any missing feature or target value are left out and counted.</summary>
    Drop,

    /// <summary>
    /// Missing numeric features get the training mean (0 after standardization); a missing text value
    /// gets all zeros in its one-hot block. No input says that a value was missing.
    /// </summary>
    Mean,

    /// <summary>
    /// The default. A missing numeric feature gets the training median, and each column that had
    /// missing values in training gains one 0/1 input that is 1 when the value was missing; a missing
    /// text value is a category of its own when training had one, all zeros otherwise.
    /// </summary>
    Impute,
}
