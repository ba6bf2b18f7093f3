using System.CommandLine;
using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Serialization;
using nietras.SeparatedValues;

namespace Backprop.Cli;

/// <summary><c>backprop predict MODEL DATA</c>: streams rows through the model, appending one prediction column per target.</summary>
internal static class PredictCommand
{
    private const int Chunk = 512;

    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var data = new Argument<string>("DATA") { Description = "CSV/TSV with the model's feature columns (any order; the targets may be absent)." };
        var output = new Option<string?>("--out", "-o") { Description = "File to write (atomically: complete or not at all). Default: stdout.", HelpName = "FILE" };
        var only = new Option<bool>("--only-predictions") { Description = "Write only the prediction columns, not the input columns." };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data; columns are named column1, column2, ..." };
        var separator = new Option<string?>("--separator") { Description = "Field separator (, ; | or tab); detected when not given.", HelpName = "CHAR" };
        var command = new Command("predict",
            "Predict every row of a file, streaming (the file may be larger than memory). Writes the input rows with a column " +
            "<target>_predicted added per target, in the targets' own units.\n\n" +
            "Examples:\n" +
            "  backprop predict diabetes.model.json samples/diabetes.csv\n" +
            "  backprop predict model.json new.csv --out predictions.csv --only-predictions")
        { model, data, output, only, noHeader, separator };
        CliApp.SetAction(command, io, p => Run(io, p.GetValue(model)!, p.GetValue(data)!, p.GetValue(output), p.GetValue(only),
            new CsvOptions(!p.GetValue(noHeader), p.GetValue(separator) is { } s ? Parsing.Separator(s) : null)));
        return command;
    }

    private static int Run(Io io, string modelPath, string dataPath, string? outPath, bool only, CsvOptions csv)
    {
        if (outPath is not null)
        {
            TrainCommand.CheckOutputFolder(outPath, "--out");
            if (Directory.Exists(outPath))
                throw new CliException($"--out: '{outPath}' is a folder; give a file name.");
            if (Path.GetFullPath(outPath) == Path.GetFullPath(dataPath))
                throw new CliException("--out: it is the input file; write the predictions to another file.");
        }
        var bundle = ModelBundle.Load(modelPath);
        OpenData(dataPath);
        var stats = new Stats();
        if (outPath is null)
        {
            Stream(io, bundle, dataPath, csv, only, io.Out, stats);
            io.Out.Flush();
        }
        else
        {
            AtomicFile.Write(outPath, s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                Stream(io, bundle, dataPath, csv, only, writer, stats);
            });
        }
        if (stats.Dropped > 0)
            io.Warn($"{stats.Dropped} row(s) had missing values the model does not fill; their predictions are empty.");
        TrainCommand.WarnUnseen(io, stats.Unseen, "input");
        if (outPath is not null)
            io.Err.WriteLine($"Wrote {stats.Rows} predictions to {outPath}.");
        return ExitCodes.Ok;
    }

    private static void OpenData(string path)
    {
        if (Directory.Exists(path))
            throw new DataFormatException("is a directory, not a data file", path);
        if (!File.Exists(path))
            throw new DataFormatException("file not found; check the path", path);
    }

    private sealed class Stats
    {
        public int Rows;
        public int Dropped;
        public IReadOnlyDictionary<string, int> Unseen = new Dictionary<string, int>();
    }

    private static void Stream(Io io, ModelBundle bundle, string path, CsvOptions csv, bool only, TextWriter writer, Stats stats)
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
            var encoder = bundle.Encoder;
            var model = bundle.Model;
            int features = encoder.FeatureCount, targets = encoder.TargetCount;
            RowEncoder? rows = null;
            string[]? names = null;
            var x = new double[Chunk * features];
            var ok = new bool[Chunk];
            var prefix = new string[Chunk];
            int n = 0;
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
                var y = good > 0 ? model.Predict(x.AsSpan(0, good * features), good) : [];
                int g = 0;
                for (int i = 0; i < n; i++)
                {
                    writer.Write(prefix[i]);
                    for (int t = 0; t < targets; t++)
                    {
                        if (t > 0 || !only)
                            writer.Write(sep);
                        if (ok[i])
                            writer.Write(y[g * targets + t].ToString("R", CultureInfo.InvariantCulture));
                    }
                    if (ok[i])
                        g++;
                    writer.Write('\n');
                }
                stats.Rows += n;
                n = 0;
            }

            try
            {
                foreach (var row in reader)
                {
                    if (names is null)
                    {
                        names = Header(row, csv, path);
                        rows = encoder.CreateRowEncoder(names, path);
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
                                "missing value (empty field); the model was trained with --missing error, so fill the value or retrain with --missing mean",
                                path, row.LineNumberFrom, missing);
                        stats.Dropped++;
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
            if (stats.Rows == 0)
                throw new DataFormatException("file has a header line but no data rows", path);
            stats.Unseen = rows!.UnseenCategories;
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

    /// <summary>RFC 4180 quoting, only where needed.</summary>
    internal static string Quote(string field, char sep)
    {
        if (field.AsSpan().IndexOfAny(['"', '\n', '\r', sep]) < 0)
            return field;
        return "\"" + field.Replace("\"", "\"\"") + "\"";
    }
}
