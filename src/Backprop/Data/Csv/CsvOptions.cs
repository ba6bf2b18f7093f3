namespace Backprop.Data.Csv;

/// <summary>How to read a delimited text file. Parsing is always culture-invariant.</summary>
/// <param name="HasHeader">
/// True when the first line holds column names. When false, columns are named <c>column1</c> ..
/// <c>columnN</c> and the first line is data.
/// </param>
/// <param name="Separator">
/// Field separator, or null to let Sep detect it from the first line: whichever of comma, tab,
/// semicolon or pipe occurs most often outside quotes (ties go to semicolon, tab, pipe, comma, in that
/// order; semicolon when the line has none, i.e. a single column). Give it explicitly when the header
/// could mislead detection.
/// </param>
public sealed record CsvOptions(bool HasHeader = true, char? Separator = null)
{
    /// <summary>Header line expected, separator detected.</summary>
    public static CsvOptions Default { get; } = new();
}
