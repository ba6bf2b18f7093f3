using System.Collections.Concurrent;
using System.Globalization;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using nietras.SeparatedValues;

namespace Backprop.Tables;

/// <summary>
/// Streams a file through a <see cref="TableModel"/>: each input row (or nothing, with only the
/// predictions) followed by one <c>&lt;target&gt;_predicted</c> field per target, batch by batch, so
/// the file may be larger than memory. Rows with a missing value the model does not fill get empty
/// predictions.
/// </summary>
/// <remarks>
/// Two stages run side by side: the calling thread reads, parses and encodes a batch of rows while
/// a second thread predicts the batch before it and writes its lines. They hand over a few
/// preallocated batches, so memory stays flat whatever the file's length, and the output is in
/// input order.
/// </remarks>
internal static class PredictionWriter
{
    // Rows per batch: enough for the batched kernels and for hand-overs to be rare, small enough
    // that the batches in flight take a few megabytes.
    private const int BatchRows = 4096;

    // Batches in flight: one being read, one being predicted and written, one waiting in between.
    private const int BatchesInFlight = 3;

    public static void CheckInput(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new DataFormatException("is a directory, not a data file", path);
        if (!File.Exists(path))
            throw new DataFormatException("file not found; check the path", path);
    }

    public static PredictionSummary Write(TableModel model, string path, CsvOptions csv, bool only, TextWriter writer, double? interval = null)
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
            RowEncoder? rows = null;
            string[]? names = null;
            int written = 0, dropped = 0;
            using var output = new OutputStage(model, writer, sep, only, interval);
            var batch = output.Free();
            try
            {
                foreach (var row in reader)
                {
                    if (names is null)
                    {
                        names = Header(row, csv, path);
                        rows = encoder.CreateRowEncoder(names, path, sep);
                        var header = only ? [] : names.Select(h => Quote(h, sep));
                        var predicted = encoder.TargetNames.SelectMany(t => interval is null ? [t + "_predicted"] : new[] { t + "_predicted", t + "_lower", t + "_upper" });
                        writer.Write(string.Join(sep, header.Concat(predicted.Select(name => Quote(name, sep)))));
                        writer.Write('\n');
                        output.Start();
                        if (csv.HasHeader)
                            continue;
                    }
                    if (names.Length != 1 && row.ColCount == 1 && row.Span.IsEmpty)
                        continue;
                    bool encoded = rows!.TryEncode(row, batch.NextInputs, out string? missing);
                    if (!encoded)
                    {
                        if (encoder.Missing == MissingPolicy.Error)
                            throw new DataFormatException(
                                "missing value (an empty field or a token such as NA) under the missing-value policy error; fill the value, or give --missing impute to fill it or --missing drop to leave the row out",
                                path, row.LineNumberFrom, missing);
                        dropped++;
                    }
                    batch.Add(encoded, row, sep, copyFields: !only);
                    written++;
                    if (batch.Rows == BatchRows)
                        batch = output.Hand(batch);
                }
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                throw new DataFormatException($"cannot parse the file: {e.Message}", path, innerException: e);
            }
            if (names is null)
                throw new DataFormatException("file is empty; expected a header line and data rows", path);
            output.Finish(batch);
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

    // Rows read and encoded, waiting to be predicted and written: the encoded rows that have all
    // their values, one after the other, and each row's input fields as they will be written.
    private sealed class Batch(int features, int targets)
    {
        private readonly double[] _inputs = new double[BatchRows * features];
        private readonly bool[] _encoded = new bool[BatchRows];
        private readonly int[] _fieldsEnd = new int[BatchRows];
        private char[] _fields = new char[BatchRows * 16];
        private int _fieldsLength;

        public double[] Outputs { get; } = new double[BatchRows * targets];

        public int Rows { get; private set; }

        public int Encoded { get; private set; }

        // Where the next row is encoded: after the rows that encoded, so they stay contiguous.
        public Span<double> NextInputs => _inputs.AsSpan(Encoded * features, features);

        public ReadOnlySpan<double> Inputs => _inputs.AsSpan(0, Encoded * features);

        public void Add(bool encoded, SepReader.Row row, char sep, bool copyFields)
        {
            _encoded[Rows] = encoded;
            if (encoded)
                Encoded++;
            if (copyFields)
            {
                for (int j = 0; j < row.ColCount; j++)
                {
                    if (j > 0)
                        Append(sep);
                    AppendQuoted(row[j].Span, sep);
                }
            }
            _fieldsEnd[Rows++] = _fieldsLength;
        }

        public bool IsEncoded(int row) => _encoded[row];

        public ReadOnlySpan<char> Fields(int row) => _fields.AsSpan(row == 0 ? 0 : _fieldsEnd[row - 1], _fieldsEnd[row] - (row == 0 ? 0 : _fieldsEnd[row - 1]));

        public void Clear() => Rows = Encoded = _fieldsLength = 0;

        // RFC 4180 quoting, only where needed.
        private void AppendQuoted(ReadOnlySpan<char> field, char sep)
        {
            if (field.IndexOfAny(['"', '\n', '\r', sep]) < 0)
            {
                Reserve(field.Length);
                field.CopyTo(_fields.AsSpan(_fieldsLength));
                _fieldsLength += field.Length;
                return;
            }
            Append('"');
            foreach (char ch in field)
            {
                if (ch == '"')
                    Append('"');
                Append(ch);
            }
            Append('"');
        }

        private void Append(char ch)
        {
            Reserve(1);
            _fields[_fieldsLength++] = ch;
        }

        private void Reserve(int more)
        {
            if (_fieldsLength + more > _fields.Length)
                Array.Resize(ref _fields, Math.Max(_fields.Length * 2, _fieldsLength + more));
        }
    }

    // The second stage: a thread that predicts each handed batch and writes its lines, then hands
    // the batch back to be filled again. A failure on either side stops both and surfaces once.
    private sealed class OutputStage : IDisposable
    {
        private readonly TableModel _model;
        private readonly TextWriter _writer;
        private readonly char _sep;
        private readonly bool _only;
        private readonly double? _interval;
        private readonly BlockingCollection<Batch> _full = new(BatchesInFlight);
        private readonly BlockingCollection<Batch> _free = new(BatchesInFlight);
        private readonly CancellationTokenSource _stop = new();
        private char[] _text = new char[BatchRows * 32];
        private Task? _task;
        private Exception? _failure;

        public OutputStage(TableModel model, TextWriter writer, char sep, bool only, double? interval)
        {
            (_model, _writer, _sep, _only, _interval) = (model, writer, sep, only, interval);
            for (int b = 0; b < BatchesInFlight; b++)
                _free.Add(new Batch(model.Encoder.FeatureCount, model.Encoder.TargetCount));
        }

        // Starts the writing thread, once the header is written.
        public void Start() => _task = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // An empty batch to fill.
        public Batch Free()
        {
            var batch = Take(_free);
            batch.Clear();
            return batch;
        }

        // Queues a full batch for writing; returns an empty one.
        public Batch Hand(Batch batch)
        {
            try
            {
                _full.Add(batch, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                Rethrow();
            }
            return Free();
        }

        // Queues the last batch and waits until every line is written.
        public void Finish(Batch last)
        {
            if (last.Rows > 0)
                Hand(last);
            _full.CompleteAdding();
            _task?.Wait();
            Rethrow();
        }

        public void Dispose()
        {
            // Reached early only when reading failed: the writer stops without the rest.
            _stop.Cancel();
            _full.CompleteAdding();
            try
            {
                _task?.Wait();
            }
            catch (AggregateException)
            {
                // The reading side's failure is the one being thrown.
            }
            _full.Dispose();
            _free.Dispose();
            _stop.Dispose();
        }

        private Batch Take(BlockingCollection<Batch> from)
        {
            try
            {
                return from.Take(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                Rethrow();
                throw;
            }
        }

        private void Rethrow()
        {
            if (_failure is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }

        private void Loop()
        {
            try
            {
                foreach (var batch in _full.GetConsumingEnumerable(_stop.Token))
                {
                    WriteBatch(batch);
                    _free.Add(batch);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _failure = e;
                _stop.Cancel();
            }
        }

        // Predicts the rows that encoded, then writes every row of the batch in order.
        private void WriteBatch(Batch batch)
        {
            int targets = _model.Encoder.TargetCount;
            double[] lower = [], upper = [];
            if (batch.Encoded > 0 && _interval is double coverage)
                (lower, upper) = _model.PredictRows(batch.Inputs, batch.Encoded, batch.Outputs, coverage);
            else if (batch.Encoded > 0)
                _model.PredictRows(batch.Inputs, batch.Outputs, threads: 1);
            int columns = _interval is null ? 1 : 3;
            var precision = _model.Members[0].Options.Precision;
            int length = 0, encoded = 0;
            for (int i = 0; i < batch.Rows; i++)
            {
                var fields = batch.Fields(i);
                Reserve(ref length, fields.Length + targets * columns * 33 + 1);
                fields.CopyTo(_text.AsSpan(length));
                length += fields.Length;
                bool ok = batch.IsEncoded(i);
                for (int t = 0; t < targets; t++)
                {
                    int at = encoded * targets + t;
                    for (int c = 0; c < columns; c++)
                    {
                        if (t > 0 || c > 0 || !_only)
                            _text[length++] = _sep;
                        if (ok)
                            length += Digits(c switch { 0 => batch.Outputs[at], 1 => lower[at], _ => upper[at] }, precision, _text.AsSpan(length));
                    }
                }
                if (ok)
                    encoded++;
                _text[length++] = '\n';
            }
            _writer.Write(_text, 0, length);
        }

        private void Reserve(ref int length, int more)
        {
            if (length + more > _text.Length)
                Array.Resize(ref _text, Math.Max(_text.Length * 2, length + more));
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

    // The same digits, written into destination (32 characters are always enough); returns how many.
    private static int Digits(double value, Precision precision, Span<char> destination)
    {
        bool done = precision == Precision.Single
            ? ((float)value).TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture)
            : value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        return done ? written : throw new InvalidOperationException("A number took more than 32 characters.");
    }

    /// <summary>RFC 4180 quoting, only where needed.</summary>
    internal static string Quote(string field, char sep)
    {
        if (field.AsSpan().IndexOfAny(['"', '\n', '\r', sep]) < 0)
            return field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
