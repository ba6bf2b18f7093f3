using System.Text.Json.Serialization;

namespace Backprop.Data.Csv;

/// <summary>How a column's values are interpreted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    /// <summary>Every non-empty value is a finite number (invariant culture).</summary>
    Numeric,

    /// <summary>Categorical labels; one-hot encoded as features, never allowed as a target.</summary>
    Text,
}
