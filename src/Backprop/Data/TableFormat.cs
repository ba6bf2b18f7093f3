namespace Backprop.Data;

/// <summary>The format of a data file.</summary>
public enum TableFormat
{
    /// <summary>By the file's extension: <c>.parquet</c> is Parquet, anything else delimited text.</summary>
    Auto,

    /// <summary>Delimited text (CSV, TSV, semicolon- or pipe-separated).</summary>
    Csv,

    /// <summary>
    /// Apache Parquet: the schema names and types the columns (numbers, strings, booleans,
    /// dates and timestamps; null is missing), so nothing is guessed from the values.
    /// </summary>
    Parquet,
}
