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

    /// <summary>
    /// ISO 8601 dates or date-times; encoded as the day count (standardized) and the month and weekday
    /// as sine and cosine. Not written by versions before date columns existed.
    /// </summary>
    Date,
}
