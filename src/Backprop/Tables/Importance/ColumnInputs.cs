using Backprop.Data.Columns;

namespace Backprop.Tables.Importance;

/// <summary>
/// The encoded inputs that come from one original column: a number's value and its was-missing
/// input, a text column's one-hot levels and its missing category, a date's five inputs. They are
/// contiguous in an encoded row, so a column is a range.
/// </summary>
/// <param name="Name">The column's name in the training file.</param>
/// <param name="Offset">Its first input.</param>
/// <param name="Width">How many inputs it has.</param>
internal readonly record struct ColumnInputs(string Name, int Offset, int Width)
{
    /// <summary>Every feature column of the encoding, in input order.</summary>
    public static IReadOnlyList<ColumnInputs> Of(TableEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return [.. encoder.Columns.Select(c => new ColumnInputs(c.Name, c.Offset, c.Width))];
    }
}
