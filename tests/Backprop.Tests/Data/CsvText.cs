using Backprop.Data;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

/// <summary>Builds tables from inline text and temporary files for the data-layer tests.</summary>
internal static class CsvText
{
    public const string Source = "data.csv";

    public static DataTable Load(string text, CsvOptions? options = null)
    {
        using var reader = new StringReader(text);
        return DataTable.Load(reader, Source, options);
    }

    public static DataFormatException LoadError(string text, CsvOptions? options = null) =>
        Assert.Throws<DataFormatException>(() => Load(text, options));

    /// <summary>Writes text to a fresh temporary file and returns its path.</summary>
    public static string TempFile(string text, string extension = ".csv")
    {
        string dir = Path.Combine(Path.GetTempPath(), "backprop-data-tests");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + extension);
        File.WriteAllText(path, text);
        return path;
    }

    public static string Output(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);
}
