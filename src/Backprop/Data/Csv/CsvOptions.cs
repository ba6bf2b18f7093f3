namespace Backprop.Data.Csv;

/// <summary>
/// How to read a data file: a delimited text file (parsing is always culture-invariant), or a
/// Parquet file when <see cref="Format"/> says so or the path ends in <c>.parquet</c>.
/// </summary>
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
    /// <summary>
    /// The file's format; <see cref="TableFormat.Auto"/> (the default) goes by the extension. A Parquet
    /// file must be read with the defaults for <see cref="HasHeader"/> and <see cref="Separator"/>:
    /// its schema names the columns.
    /// </summary>
    public TableFormat Format { get; init; }

    /// <summary>Header line expected, separator detected.</summary>
    public static CsvOptions Default { get; } = new();
}
