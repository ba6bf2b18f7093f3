using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Data.Parquet;

namespace Backprop.Tables;

/// <summary>
/// Prediction where a Parquet file is on either side: any input the data layer reads (CSV or
/// Parquet), written as CSV or as Parquet, chunk by chunk so that the file may be larger than
/// memory. A Parquet output keeps a Parquet input's column types (a text input's columns are
/// strings) and adds one nullable double column <c>&lt;target&gt;_predicted</c> per target; rows
/// with a missing value the model does not fill get null (CSV: empty) predictions.
/// </summary>
internal static class ParquetPredictionWriter
{
    // Rows encoded and predicted at a time; one row group of a Parquet output.
    private const int Chunk = 8192;

    /// <summary>An output path that gets Parquet: its extension says so.</summary>
    public static bool IsParquetOutput(string output) => output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Predicts every row of <paramref name="path"/> into a Parquet file.</summary>
    public static PredictionSummary WriteParquet(TableModel model, string path, CsvOptions csv, bool only, Stream output)
    {
        using var rows = DataFiles.Open(path, csv);
        using var sink = new ParquetRows(output, rows, Predicted(model), only, model.Members[0].Options.Precision);
        return Write(model, rows, sink);
    }

    /// <summary>Predicts every row of <paramref name="path"/> into comma-separated text.</summary>
    public static PredictionSummary WriteCsv(TableModel model, string path, CsvOptions csv, bool only, TextWriter output)
    {
        using var rows = DataFiles.Open(path, csv);
        var sink = new CsvRows(output, rows, Predicted(model), only, model.Members[0].Options.Precision);
        return Write(model, rows, sink);
    }

    private static string[] Predicted(TableModel model) => [.. model.Encoder.TargetNames.Select(t => t + "_predicted")];

    private static PredictionSummary Write(TableModel model, IRowReader rows, IRows sink)
    {
        string path = rows.Path;
        var encoder = model.Encoder;
        var rowEncoder = encoder.CreateRowEncoder(rows.ColumnNames, path, rows.Separator);
        int features = encoder.FeatureCount, targets = encoder.TargetCount;
        var x = new double[Chunk * features];
        var ok = new bool[Chunk];
        long written = 0;
        int dropped = 0, n;
        do
        {
            for (n = 0; n < Chunk && rows.MoveNext(); n++)
            {
                ok[n] = rowEncoder.TryEncodeCore(new RowReaderFields(rows), x.AsSpan(n * features, features), default, false, out string? missing);
                if (!ok[n])
                {
                    if (encoder.Missing == MissingPolicy.Error)
                        throw new DataFormatException(
                            "missing value (an empty field or a token such as NA) under the missing-value policy error; fill the value, or give --missing impute to fill it or --missing drop to leave the row out",
                            path, rows.Line, missing);
                    dropped++;
                }
                sink.Keep(n, rows);
            }
            sink.Write(n, ok, Predict(model, x, ok, n));
            written += n;
        }
        while (n == Chunk);
        if (written == 0)
            throw CsvSource.NoDataRows(path);
        var warnings = new List<string>();
        if (dropped > 0)
            warnings.Add($"{dropped} row(s) had missing values the model does not fill; their predictions are empty.");
        if (rowEncoder.UnseenCategories.Count > 0)
            warnings.Add(TableWarnings.Unseen(rowEncoder.UnseenCategories, "input"));
        if (rowEncoder.FilledCells.Count > 0)
            warnings.Add(TableWarnings.Filled(rowEncoder.FilledCells, encoder.Missing));
        return new PredictionSummary(checked((int)written), dropped, rowEncoder.UnseenCategories, warnings);
    }

    // The predictions of the rows that encoded, packed in their order ([good rows, targets]).
    private static double[] Predict(TableModel model, double[] x, bool[] ok, int n)
    {
        int features = model.Encoder.FeatureCount, good = 0;
        for (int i = 0; i < n; i++)
        {
            if (!ok[i])
                continue;
            if (good != i)
                x.AsSpan(i * features, features).CopyTo(x.AsSpan(good * features));
            good++;
        }
        return good > 0 ? model.Predict(x.AsSpan(0, good * features), good) : [];
    }

    /// <summary>Where a chunk of rows goes: each input row is kept as read, then written with its predictions.</summary>
    private interface IRows
    {
        void Keep(int row, IRowReader input);

        void Write(int rows, bool[] ok, double[] predictions);
    }

    private sealed class ParquetRows : IRows, IDisposable
    {
        private readonly ParquetRowWriter _writer;
        private readonly int _inputs, _targets;
        private readonly Regression.Precision _precision;

        public ParquetRows(Stream output, IRowReader input, string[] predicted, bool only, Regression.Precision precision)
        {
            _precision = precision;
            var kept = only ? [] : input is ParquetRowReader parquet
                ? parquet.Fields.ToArray()
                : input.ColumnNames.Select(ParquetRowWriter.Text).ToArray();
            _inputs = kept.Length;
            _targets = predicted.Length;
            _writer = new ParquetRowWriter(output, [.. kept, .. predicted.Select(ParquetRowWriter.Number)]);
        }

        public void Keep(int row, IRowReader input)
        {
            for (int j = 0; j < _inputs; j++)
                _writer.Set(row, j, input[j]);
        }

        public void Write(int rows, bool[] ok, double[] predictions)
        {
            for (int i = 0, g = 0; i < rows; i++)
            {
                for (int t = 0; t < _targets; t++)
                    _writer.Set(i, _inputs + t, ok[i] ? PredictionWriter.Digits(predictions[g * _targets + t], _precision) : "");
                if (ok[i])
                    g++;
            }
            _writer.WriteGroup(rows);
        }

        public void Dispose() => _writer.Dispose();
    }

    private sealed class CsvRows : IRows
    {
        private const char Separator = ',';
        private readonly TextWriter _writer;
        private readonly string[] _kept = new string[Chunk];
        private readonly StringBuilder _line = new();
        private readonly Regression.Precision _precision;
        private readonly bool _only;
        private readonly int _targets;

        public CsvRows(TextWriter output, IRowReader input, string[] predicted, bool only, Regression.Precision precision)
        {
            _writer = output;
            _only = only;
            _targets = predicted.Length;
            _precision = precision;
            var header = only ? predicted : [.. input.ColumnNames, .. predicted];
            _writer.Write(string.Join(Separator, header.Select(h => PredictionWriter.Quote(h, Separator))));
            _writer.Write('\n');
        }

        public void Keep(int row, IRowReader input)
        {
            _line.Clear();
            for (int j = 0; j < input.ColumnNames.Count && !_only; j++)
                _line.Append(PredictionWriter.Quote(input[j].ToString(), Separator)).Append(Separator);
            _kept[row] = _line.ToString();
        }

        public void Write(int rows, bool[] ok, double[] predictions)
        {
            for (int i = 0, g = 0; i < rows; i++)
            {
                _writer.Write(_kept[i]);
                for (int t = 0; t < _targets; t++)
                {
                    if (t > 0)
                        _writer.Write(Separator);
                    if (ok[i])
                        _writer.Write(PredictionWriter.Digits(predictions[g * _targets + t], _precision));
                }
                if (ok[i])
                    g++;
                _writer.Write('\n');
            }
        }
    }
}
