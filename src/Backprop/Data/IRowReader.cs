using Backprop.Data.Csv;

namespace Backprop.Data;

/// <summary>
/// A data file read front to back, one row at a time, whatever its format. The streaming fit, the
/// chunked training reader and prediction take this, so each exists once for CSV and Parquet.
/// Fields are text as a CSV file would hold them (numbers and dates in invariant form, an empty
/// field for a missing value), so one set of rules reads both.
/// </summary>
internal interface IRowReader : IDisposable
{
    /// <summary>The file, as the user gave it (for messages).</summary>
    string Path { get; }

    /// <summary>Column names in file order.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>
    /// Each column's kind as the file's schema declares it (Parquet), or null when the values must
    /// be surveyed to decide (CSV).
    /// </summary>
    IReadOnlyList<ColumnKind>? DeclaredKinds { get; }

    /// <summary>
    /// The field separator, which rules out a decimal comma when it is a comma. Parquet's numbers are
    /// written with a point, so its reader says comma.
    /// </summary>
    char Separator { get; }

    /// <summary>Moves to the next data row (blank lines skipped); false at the end.</summary>
    /// <exception cref="DataFormatException">The row cannot be read (a wrong field count, a parse error).</exception>
    bool MoveNext();

    /// <summary>Where the current row is, as messages give it: its line in a text file, its 1-based row number in Parquet.</summary>
    long Line { get; }

    /// <summary>A field of the current row; empty when missing.</summary>
    ReadOnlySpan<char> this[int column] { get; }
}
