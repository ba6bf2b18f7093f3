using System.Globalization;
using nietras.SeparatedValues;

namespace Backprop.Data.Csv;

/// <summary>Opening files with Sep and the header/row checks shared by every reader in this layer.</summary>
internal static class CsvSource
{
    public static SepReader OpenFile(string path, CsvOptions options)
    {
        DataFiles.CheckExists(path);
        try
        {
            return ReaderOptions(options, path).FromFile(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException($"cannot read the file: {e.Message}", path, innerException: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFormatException($"cannot read the file: {e.Message}", path, innerException: e);
        }
    }

    public static SepReader Open(TextReader reader, CsvOptions options, string sourceName) =>
        ReaderOptions(options, sourceName).From(reader, leaveOpen: true);

    private static SepReaderOptions ReaderOptions(CsvOptions options, string? source)
    {
        Sep? sep = null;
        if (options.Separator is char c)
        {
            try
            {
                sep = Sep.New(c);
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException($"separator {DataFormatException.Show([c])} is not supported; use comma, tab or semicolon", source, innerException: e);
            }
        }
        // The header is read as an ordinary row so that duplicate or empty names and ragged rows get
        // our messages (with line numbers) rather than Sep's.
        return sep.Reader() with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
            CreateToString = SepToString.PoolPerCol(),
        };
    }

    /// <summary>
    /// 1-based line where the row starts. Sep 0.17 reports line 2 for the very first row (its
    /// separator detection has already consumed that line), so row 0 is pinned to line 1.
    /// </summary>
    public static long Line(SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    /// <summary>A line with no characters at all. Skipped unless the file has a single column.</summary>
    public static bool IsBlank(SepReader.Row row, int expectedColumns) =>
        expectedColumns != 1 && row.ColCount == 1 && row.Span.IsEmpty;

    public static string[] ColumnNames(SepReader.Row first, CsvOptions options, string? file)
    {
        int n = first.ColCount;
        var names = new string[n];
        if (!options.HasHeader)
        {
            for (int j = 0; j < n; j++)
                names[j] = "column" + (j + 1).ToString(CultureInfo.InvariantCulture);
            return names;
        }
        long line = Line(first);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < n; j++)
        {
            string name = first[j].ToString();
            if (name.Length == 0)
                throw new DataFormatException(
                    $"column {j + 1} of the header has an empty name; name every column, or read the file with no header line if it has none",
                    file, line);
            if (seen.TryGetValue(name, out int other))
                throw new DataFormatException(
                    $"header has the column name twice (columns {other + 1} and {j + 1}); column names must be unique",
                    file, line, name);
            seen.Add(name, j);
            names[j] = name;
        }
        return names;
    }

    public static DataFormatException Ragged(string? file, long line, int expected, int found) =>
        new($"row has {found} field{(found == 1 ? "" : "s")} but the header has {expected}; "
            + (found < expected ? "fill in the missing fields" : "quote values that contain the separator, or remove the extra fields"),
            file, line);

    public static DataFormatException Empty(string? file) =>
        new("file is empty; expected a header line and data rows", file);

    public static DataFormatException NoDataRows(string? file) =>
        new("file has a header line but no data rows", file);

    public static DataFormatException UnknownColumn(string? file, string role, string name, IReadOnlyList<string> available) =>
        ColumnNameMatch.Unknown(file, role, name, available);

    /// <summary>Sep's own parse failures (e.g. too many columns), reported as ours.</summary>
    public static DataFormatException Wrap(Exception e, string? file) =>
        new($"cannot parse the file: {e.Message}", file, innerException: e);
}
