using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Cli;

/// <summary><c>backprop train --stream</c>: training on a file larger than memory.</summary>
internal static class StreamTraining
{
    public const int DefaultShuffleBuffer = 65_536;
    private const int MaxValidationRows = 100_000;

    public static int Run(Io io, TrainCommand.Settings s, string modelPath, string? plotDir)
    {
        if (s.TestFractionGiven)
            throw new CliException("--test-fraction cannot be used with --stream (the file is never held in memory); give a --test-file instead.");
        if (s.ShuffleBuffer < 1)
            throw new CliException($"--shuffle-buffer must be at least 1; got {s.ShuffleBuffer}.");
        if (s.Options.Optimizer == Training.OptimizerKind.Lbfgs)
            throw new CliException("--optimizer lbfgs needs the whole data set at every step, so it cannot stream; use adam or sgd with --stream.");
        var info = s.Quiet ? TextWriter.Null : io.Out;

        // 1. Two streaming passes: column kinds and missing values, then scaling and categories.
        var encoderOptions = new EncoderOptions { Targets = s.Targets, Ignore = s.Ignore, Missing = s.Missing };
        var encoder = TableEncoder.FitFile(s.Data, s.Csv, encoderOptions, out var targetScaler);
        int features = encoder.FeatureCount, outputs = encoder.TargetCount;

        // 2. Every k-th row is held out for early stopping; the rest streams past in chunks.
        var o = s.Options;
        long every = o.EarlyStopping && o.ValidationFraction > 0 ? Math.Max(2, (long)Math.Round(1 / o.ValidationFraction)) : 0;
        bool IsValidation(long row) => every > 0 && row % every == 0;
        DataSet? validation = null;
        if (every > 0)
        {
            using var reader = new CsvChunkReader(s.Data, s.Csv, encoder);
            var x = new double[MaxValidationRows * features];
            var y = new double[MaxValidationRows * outputs];
            int n = reader.Read(x, y, MaxValidationRows, IsValidation);
            if (n >= 2)
                validation = new DataSet(x[..(n * features)], features, y[..(n * outputs)], outputs);
        }
        DataSet? test = null;
        if (s.TestFile is not null)
        {
            var encoded = encoder.Encode(DataTable.Load(s.TestFile, s.Csv), requireTargets: true);
            if (encoded.Rows > 0)
                test = new DataSet(encoded.Features, features, encoded.Targets!, outputs);
        }
        long trainRows = 0;
        IEnumerable<DataSet> Epoch()
        {
            using var reader = new CsvChunkReader(s.Data, s.Csv, encoder);
            var x = new double[s.ShuffleBuffer * features];
            var y = new double[s.ShuffleBuffer * outputs];
            long rows = 0;
            int n;
            while ((n = reader.Read(x, y, s.ShuffleBuffer, row => !IsValidation(row))) > 0)
            {
                rows += n;
                yield return n == s.ShuffleBuffer
                    ? new DataSet(x, features, y, outputs)
                    : new DataSet(x[..(n * features)], features, y[..(n * outputs)], outputs);
            }
            trainRows = rows;
        }
        info.WriteLine($"{Path.GetFileName(s.Data)}: streaming, {TrainCommand.Noun(features, "input")} from {TrainCommand.Noun(encoder.State.Columns.Count, "column")}, target {string.Join(", ", encoder.TargetNames)}; " +
            $"{validation?.Rows ?? 0} validation rows held in memory, chunks of {s.ShuffleBuffer} rows.");

        // 3. Fit.
        var model = new MlpRegressor(o);
        var result = TrainCommand.Fit(io, s, progress => model.FitStream(Epoch, features, outputs, null, targetScaler, validation, progress, io.Cancel));
        var fingerprint = new DataFingerprint(Path.GetFileName(s.Data), (int)Math.Min(trainRows, int.MaxValue), TrainCommand.Sha256(s.Data));
        ModelDocument Describe(MlpRegressor m) => ModelFile.ToDocument(m) with
        {
            FeatureNames = encoder.FeatureNames.ToArray(),
            TargetNames = encoder.TargetNames.ToArray(),
            Data = fingerprint,
            Table = encoder.State,
        };
        var rows = new List<(string Name, DataSet Data)>();
        if (validation is not null) rows.Add(("validation", validation));
        if (test is not null) rows.Add(("test", test));
        info.WriteLine($"Trained on {trainRows} rows per epoch.");
        return TrainCommand.Finish(io, s, model, result, encoder.TargetNames, rows, Describe, modelPath, rows.Count > 0 ? plotDir : null);
    }
}
