using System.Buffers;
using System.Collections.Frozen;

namespace Backprop.Data.Csv;

/// <summary>
/// Reads the fields of a numeric column: a number written with the file's decimal separator (and,
/// optionally, digits grouped in thousands), or a missing value (empty, or one of the missing-value
/// tokens). The number is read by <see cref="FieldParser"/> from its invariant spelling, so
/// <c>32,1</c> with a decimal comma gives bit for bit the double that <c>32.1</c> gives.
/// </summary>
/// <remarks>
/// Grouping is accepted only in its strict form, so a grouped value cannot be mistaken for a
/// decimal: with a decimal point, <c>1,570</c> and <c>-12,345,678.5</c> (groups of three after the
/// first); with a decimal comma, <c>1.570,5</c> or <c>1 570,5</c> (point, space or no-break space,
/// the same one throughout). Tokens are matched exactly, after trimming spaces.
/// </remarks>
internal sealed class NumberReader
{
    /// <summary>What counts as a missing value in a numeric column besides an empty field.</summary>
    public static IReadOnlyList<string> DefaultMissingTokens { get; } = ["NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?"];

    // The longest field rewritten on the stack; longer ones are never plain numbers anyway.
    private const int MaxLength = 64;

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _tokens;

    // The tokens' first characters: a field starting with anything else (a digit, mostly) is not
    // one, which spares the hash lookup on nearly every field of a numeric column.
    private readonly SearchValues<char> _tokenStarts;

    public NumberReader(char decimalSeparator, IEnumerable<string> extraTokens)
    {
        if (decimalSeparator is not ('.' or ','))
            throw new ArgumentOutOfRangeException(nameof(decimalSeparator), decimalSeparator, "The decimal separator must be '.' or ','.");
        Decimal = decimalSeparator;
        Tokens = DefaultMissingTokens.Concat(extraTokens).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _tokens = Tokens.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _tokenStarts = SearchValues.Create([.. Tokens.Select(t => t[0]).Distinct()]);
    }

    /// <summary>'.' or ','.</summary>
    public char Decimal { get; }

    /// <summary>Every token read as missing (the defaults, then the extra ones), without duplicates.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>
    /// Whether <paramref name="field"/> of a column is missing: in a text column only when empty
    /// (tokens such as NA are categories there), in a numeric or date column also when a token.
    /// </summary>
    public bool IsMissing(ReadOnlySpan<char> field, bool text) => text ? field.IsEmpty : IsMissing(field);

    /// <summary>Whether <paramref name="field"/> is empty or a missing-value token.</summary>
    public bool IsMissing(ReadOnlySpan<char> field)
    {
        if (field.IsEmpty)
            return true;
        var trimmed = field.Trim(' ');
        return trimmed.Length > 0 && _tokenStarts.Contains(trimmed[0]) && _tokens.Contains(trimmed);
    }

    /// <summary>Reads one field: a number, a missing value, a NaN or infinite value, or not a number.</summary>
    public FieldValue Read(ReadOnlySpan<char> field, out double value)
    {
        if (Decimal == '.')
        {
            var plain = FieldParser.Parse(field, out value);
            if (plain == FieldValue.Number || plain == FieldValue.Missing)
                return plain;
            if (IsMissing(field))
                return FieldValue.Missing;
            if (plain == FieldValue.NonFinite)
                return plain;
        }
        else if (IsMissing(field))
        {
            value = 0;
            return FieldValue.Missing;
        }
        Span<char> buffer = stackalloc char[MaxLength];
        if (Invariant(field.Trim(' '), Decimal, buffer, out int length))
            return FieldParser.Parse(buffer[..length], out value);
        value = 0;
        return Decimal == '.' || !field.ContainsAny('.', ',') ? FieldParser.Parse(field, out value) : FieldValue.NotANumber;
    }

    /// <summary>
    /// Rewrites a number with grouping and/or a decimal comma in invariant form: no grouping, a point.
    /// False when the field is not in that form (then it is read as written, or not at all).
    /// </summary>
    private static bool Invariant(ReadOnlySpan<char> s, char decimalSeparator, Span<char> output, out int length)
    {
        length = 0;
        if (s.IsEmpty || s.Length > output.Length)
            return false;
        int i = 0;
        if (s[0] is '+' or '-')
            output[length++] = s[i++];
        int run = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            output[length++] = s[i++];
            run++;
        }
        if (run == 0)
            return false;
        bool grouped = false;
        char group = '\0';
        while (i < s.Length && IsGroup(s[i], decimalSeparator) && (group == '\0' || s[i] == group))
        {
            if (run > 3 || (grouped && run != 3))
                return false;
            group = s[i++];
            grouped = true;
            run = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                output[length++] = s[i++];
                run++;
            }
            if (run != 3)
                return false;
        }
        bool point = i < s.Length && s[i] == decimalSeparator;
        if (!grouped && !point)
            return false;
        if (point)
        {
            output[length++] = '.';
            i++;
        }
        for (; i < s.Length; i++)
        {
            // What follows is digits and an exponent; FieldParser judges it, but no second separator.
            if (s[i] is '.' or ',' || IsGroup(s[i], decimalSeparator))
                return false;
            output[length++] = s[i];
        }
        return true;
    }

    private static bool IsGroup(char c, char decimalSeparator) =>
        decimalSeparator == '.' ? c == ',' : c is '.' or ' ' or '\u00A0' or '\u202F';
}
