using System.Globalization;

namespace Backprop.Data;

/// <summary>What a raw field holds, as far as numeric parsing is concerned.</summary>
internal enum FieldValue
{
    Number,
    Missing,
    NonFinite,
    NotANumber,
}

/// <summary>
/// The single definition of "is this field a number", shared by the table path and the fast numeric
/// path so that both accept and reject exactly the same text.
/// </summary>
internal static class FieldParser
{
    public static FieldValue Parse(ReadOnlySpan<char> field, out double value)
    {
        if (field.IsEmpty)
        {
            value = 0;
            return FieldValue.Missing;
        }
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return double.IsFinite(value) ? FieldValue.Number : FieldValue.NonFinite;
        // .NET spells infinity "Infinity"; other tools write "inf", which would otherwise turn a
        // numeric column into text and hide the problem.
        var t = field.Trim();
        if (t.Length > 0 && (t[0] == '+' || t[0] == '-'))
            t = t[1..];
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("nan", StringComparison.OrdinalIgnoreCase))
            return FieldValue.NonFinite;
        return FieldValue.NotANumber;
    }

    public const string NonFiniteAdvice =
        "NaN or infinite values are not allowed; leave the field empty to mark a missing value";

    public static DataFormatException NonFiniteError(ReadOnlySpan<char> field, string? file, long line, string column) =>
        new($"value {DataFormatException.Show(field)} is NaN, infinite or out of range; {NonFiniteAdvice}",
            file, line > 0 ? line : null, column);

    public static DataFormatException NotANumberError(ReadOnlySpan<char> field, string? file, long line, string column, string advice) =>
        new($"value {DataFormatException.Show(field)} is not a number; {advice}", file, line > 0 ? line : null, column);
}
