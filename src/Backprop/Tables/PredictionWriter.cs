using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using nietras.SeparatedValues;

namespace Backprop.Tables;

/// <summary>
/// Streams a file through a <see cref="TableModel"/>: each input row (or nothing, with only the
/// predictions) followed by one <c>&lt;target&gt;_predicted</c> field per target, chunk by chunk, so
/// the file may be larger than memory. Rows with a missing value the model does not fill get empty
/// predictions.
/// </summary>
internal static class PredictionWriter
{
    private const int Chunk = 512;

    public static void CheckInput(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new DataFormatException("is a directory, not a data file", path);
        if (!File.Exists(path))
            throw new DataFormatException("file not found; check the path", path);
    }

    public static PredictionSummary Write(TableModel model, string path, CsvOptions csv, bool only, TextWriter writer)
    {
        var options = (csv.Separator is char c ? Sep.New(c).Reader() : Sep.Reader()) with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
        };
        SepReader reader;
        try
        {
            reader = options.FromFile(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException($"cannot read the file: {e.Message}", path, innerException: e);
        }
        using (reader)
        {
            char sep = reader.Spec.Sep.Separator;
            var encoder = model.Encoder;
            int features = encoder.FeatureCount, targets = encoder.TargetCount;
            RowEncoder? rows = null;
            string[]? names = null;
            var x = new double[Chunk * features];
            var ok = new bool[Chunk];
            var prefix = new string[Chunk];
            int n = 0, written = 0, dropped = 0;
            var line = new StringBuilder();

            void Flush()
            {
                // Predict the rows that encoded, then write every buffered row in order.
                int good = 0;
                for (int i = 0; i < n; i++)
                {
                    if (ok[i])
                    {
                        if (good != i)
                            x.AsSpan(i * features, features).CopyTo(x.AsSpan(good * features));
                        good++;
                    }
                }
                var y = good > 0 ? model.Regressor.Predict(x.AsSpan(0, good * features), good) : [];
                int g = 0;
                for (int i = 0; i < n; i++)
                {
                    writer.Write(prefix[i]);
                    for (int t = 0; t < targets; t++)
                    {
                        if (t > 0 || !only)
                            writer.Write(sep);
                        if (ok[i])
                            writer.Write(Digits(y[g * targets + t], model.Regressor.Options.Precision));
                    }
                    if (ok[i])
                        g++;
                    writer.Write('\n');
                }
                written += n;
                n = 0;
            }

            try
            {
                foreach (var row in reader)
                {
                    if (names is null)
                    {
                        names = Header(row, csv, path);
                        rows = encoder.CreateRowEncoder(names, path, sep);
                        var header = only ? [] : names.Select(h => Quote(h, sep));
                        writer.Write(string.Join(sep, header.Concat(encoder.TargetNames.Select(t => Quote(t + "_predicted", sep)))));
                        writer.Write('\n');
                        if (csv.HasHeader)
                            continue;
                    }
                    if (names.Length != 1 && row.ColCount == 1 && row.Span.IsEmpty)
                        continue;
                    bool encoded = rows!.TryEncode(row, x.AsSpan(n * features, features), out string? missing);
                    if (!encoded)
                    {
                        if (encoder.Missing == MissingPolicy.Error)
                            throw new DataFormatException(
                                "missing value (an empty field or a token such as NA) under the missing-value policy error; fill the value, or give --missing impute to fill it or --missing drop to leave the row out",
                                path, row.LineNumberFrom, missing);
                        dropped++;
                    }
                    ok[n] = encoded;
                    if (only)
                    {
                        prefix[n] = "";
                    }
                    else
                    {
                        line.Clear();
                        for (int j = 0; j < row.ColCount; j++)
                        {
                            if (j > 0)
                                line.Append(sep);
                            line.Append(Quote(row[j].ToString(), sep));
                        }
                        prefix[n] = line.ToString();
                    }
                    if (++n == Chunk)
                        Flush();
                }
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                throw new DataFormatException($"cannot parse the file: {e.Message}", path, innerException: e);
            }
            if (names is null)
                throw new DataFormatException("file is empty; expected a header line and data rows", path);
            Flush();
            if (written == 0)
                throw new DataFormatException("file has a header line but no data rows", path);
            var unseen = rows!.UnseenCategories;
            var warnings = new List<string>();
            if (dropped > 0)
                warnings.Add($"{dropped} row(s) had missing values the model does not fill; their predictions are empty.");
            if (unseen.Count > 0)
                warnings.Add(TableWarnings.Unseen(unseen, "input"));
            if (rows.FilledCells.Count > 0)
                warnings.Add(TableWarnings.Filled(rows.FilledCells, encoder.Missing));
            return new PredictionSummary(written, dropped, unseen, warnings);
        }
    }

    private static string[] Header(SepReader.Row first, CsvOptions csv, string path)
    {
        var names = new string[first.ColCount];
        for (int j = 0; j < names.Length; j++)
            names[j] = csv.HasHeader ? first[j].ToString() : "column" + (j + 1).ToString(CultureInfo.InvariantCulture);
        if (csv.HasHeader && names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new DataFormatException("header has a column name twice; column names must be unique", path, 1);
        return names;
    }

    /// <summary>
    /// The shortest text that reads back to the prediction at the model's precision: a float
    /// network's output carries about 7 significant digits, so printing its double (17 digits)
    /// would claim a precision it does not have.
    /// </summary>
    internal static string Digits(double value, Precision precision) => precision == Precision.Single
        ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, only where needed.</summary>
    internal static string Quote(string field, char sep)
    {
        if (field.AsSpan().IndexOfAny(['"', '\n', '\r', sep]) < 0)
            return field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
