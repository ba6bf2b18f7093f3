using System.Text;

namespace Backprop.Data;

/// <summary>
/// The one error type of the data layer: the input file (or the options used to read it) is wrong in
/// a way the user must fix. The message is a single line such as
/// <c>data.csv: line 14, column 'bmi': value 'abc' is not a number</c>, saying what is wrong and,
/// where there is one, which option or edit fixes it.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an error with a problem description and, when known, where it occurred.</summary>
    /// <param name="problem">What is wrong and what to do, one line, without the location prefix.</param>
    /// <param name="file">File name or source name as the user gave it; null when unknown.</param>
    /// <param name="row">1-based line number in the file (the header is line 1); null when unknown.</param>
    /// <param name="column">Column name; null when unknown or not about one column.</param>
    /// <param name="innerException">Underlying error, if any.</param>
    public DataFormatException(string problem, string? file = null, long? row = null, string? column = null, Exception? innerException = null)
        : base(Compose(problem, file, row, column), innerException)
    {
        Problem = problem;
        File = file;
        Row = row;
        Column = column;
    }

    /// <summary>File or source name as the user gave it, or null when unknown.</summary>
    public string? File { get; }

    /// <summary>
    /// Line number of the offending row as a user sees it in an editor: 1-based and counting the header
    /// line, so the first data row of a file with a header is line 2. For a quoted field spanning
    /// several lines it is the row's first line. Null when the error is not about one row.
    /// </summary>
    public long? Row { get; }

    /// <summary>Name of the offending column, or null when the error is not about one column.</summary>
    public string? Column { get; }

    /// <summary>The problem description without the file/line/column prefix.</summary>
    public string Problem { get; }

    private static string Compose(string problem, string? file, long? row, string? column)
    {
        var sb = new StringBuilder();
        if (file is not null)
            sb.Append(file);
        if (row is not null)
            sb.Append(sb.Length > 0 ? ": " : "").Append("line ").Append(row.Value);
        if (column is not null)
            sb.Append(sb.Length == 0 ? "" : row is not null ? ", " : ": ").Append("column '").Append(OneLine(column)).Append('\'');
        if (sb.Length > 0)
            sb.Append(": ");
        sb.Append(OneLine(problem));
        return sb.ToString();
    }

    // Values come from user files and may hold line breaks (quoted fields); the message must stay one line.
    internal static string OneLine(string text) =>
        text.Contains('\n') || text.Contains('\r') ? text.Replace("\r", "\\r").Replace("\n", "\\n") : text;

    /// <summary>Shows a field value in a message: quoted, one line, and cut short when long.</summary>
    internal static string Show(ReadOnlySpan<char> value)
    {
        const int max = 40;
        string s = value.Length > max ? string.Concat(value[..max], "...") : value.ToString();
        return "'" + OneLine(s) + "'";
    }
}
