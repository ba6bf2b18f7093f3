using System.Text.Json.Serialization;

namespace Backprop.Data.Columns;

/// <summary>What to do with empty fields (the only thing that counts as missing).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingPolicy>))]
public enum MissingPolicy
{
    /// <summary>Any missing feature or target value is a <see cref="DataFormatException"/>.</summary>
    Error,

    /// <summary>Rows with any missing feature or target value are left out and counted.</summary>
    Drop,

    /// <summary>
    /// Missing numeric features get the training mean (0 after standardization); a missing text value
    /// gets all zeros in its one-hot block. Rows with a missing target are still left out: targets are
    /// never imputed.
    /// </summary>
    Mean,
}
