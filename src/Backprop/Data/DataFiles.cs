using Backprop.Data.Csv;
using Backprop.Data.Parquet;

namespace Backprop.Data;

/// <summary>The one place a data file's format is decided, and its rows opened accordingly.</summary>
internal static class DataFiles
{
    /// <summary>Whether <paramref name="path"/> is read as Parquet: said so, or left to the <c>.parquet</c> extension.</summary>
    public static bool IsParquet(string path, CsvOptions options) => options.Format switch
    {
        TableFormat.Parquet => true,
        TableFormat.Csv => false,
        _ => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Opens the rows of a CSV or Parquet file, positioned before the first data row.</summary>
    /// <exception cref="DataFormatException">The file is missing, unreadable or has no header.</exception>
    public static IRowReader Open(string path, CsvOptions options) =>
        IsParquet(path, options) ? ParquetRowReader.Open(path, options) : CsvRowReader.Open(path, options);

    /// <summary>The common refusals before a file is opened: a folder, or nothing there.</summary>
    public static void CheckExists(string path)
    {
        if (Directory.Exists(path))
            throw new DataFormatException("is a directory, not a data file", path);
        if (!File.Exists(path))
            throw new DataFormatException("file not found; check the path", path);
    }
}
