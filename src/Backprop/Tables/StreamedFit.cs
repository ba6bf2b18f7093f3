using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tables;

/// <summary>
/// <see cref="TableModel.Fit"/> for a file larger than memory: two streaming passes fit the
/// encoding and the target scaling, every k-th row is held in memory for early stopping, and each
/// epoch reads the rest in chunks. Test metrics come from <see cref="TableOptions.TestFile"/> only.
/// </summary>
internal static class StreamedFit
{
    private const int MaxValidationRows = 100_000;

    public static TableModel Run(string path, TableOptions options, IProgress<TableProgress>? progress, CancellationToken cancel)
    {
        var run = new FitRun(progress);
        var csv = options.Csv;

        // 1. Two streaming passes: column kinds and missing values, then scaling and categories.
        var (encoder, targetScaler, targetRows, featureRows, filled) = StreamingFit.Fit(path, csv, options.Encoder);
        run.Notice(encoder.Notices);
        int features = encoder.FeatureCount, outputs = encoder.TargetCount;

        // 2. Every k-th row is held out for early stopping; the rest streams past in chunks.
        long every = options.EarlyStopping && options.ValidationFraction > 0 ? Math.Max(2, (long)Math.Round(1 / options.ValidationFraction)) : 0;
        bool IsValidation(long row) => every > 0 && row % every == 0;
        DataSet? validation = null;
        if (every > 0)
        {
            using var reader = new ChunkReader(path, csv, encoder);
            var x = new double[MaxValidationRows * features];
            var y = new double[MaxValidationRows * outputs];
            int n = reader.Read(x, y, MaxValidationRows, IsValidation);
            if (n >= 2)
                validation = new DataSet(x[..(n * features)], features, y[..(n * outputs)], outputs);
        }
        DataSet? test = null;
        if (options.TestFile is not null)
        {
            var encoded = encoder.Encode(DataTable.Load(options.TestFile, csv), requireTargets: true);
            if (encoded.Rows > 0)
                test = encoded;
        }
        int buffer = options.ShuffleBuffer;
        long trainRows = 0;
        IEnumerable<DataSet> Epoch()
        {
            using var reader = new ChunkReader(path, csv, encoder);
            var x = new double[buffer * features];
            var y = new double[buffer * outputs];
            long rows = 0;
            int n;
            while ((n = reader.Read(x, y, buffer, row => !IsValidation(row))) > 0)
            {
                rows += n;
                yield return n == buffer
                    ? new DataSet(x, features, y, outputs)
                    : new DataSet(x[..(n * features)], features, y[..(n * outputs)], outputs);
            }
            trainRows = rows;
        }
        run.Report(new TableProgress.DataRead(new DataSummary
        {
            File = path,
            Streamed = true,
            Inputs = features,
            Columns = encoder.State.Columns.Count,
            Targets = encoder.TargetNames,
            ValidationRows = validation?.Rows ?? 0,
            TestRows = test?.Rows ?? 0,
            ShuffleBuffer = buffer,
            Missing = MissingValues.Of(encoder, targetRows, featureRows, filled),
        }));

        // 3. Fit.
        var model = new MlpRegressor(options.ToRegressorOptions());
        // No fingerprint for checkpoints: a streamed run never writes one (Validate refuses it).
        var epochs = run.Epochs(model, encoder, trainedOn: null, options);
        var result = model.FitStream(Epoch, features, outputs, null, targetScaler, validation, epochs, cancel);
        int rowsPerEpoch = (int)Math.Min(trainRows, int.MaxValue);
        var trainedOn = new DataFingerprint(Path.GetFileName(path), rowsPerEpoch, TableModel.Sha256(path));
        var parts = new List<(string, DataSet)>();
        if (validation is not null) parts.Add(("validation", validation));
        if (test is not null) parts.Add(("test", test));
        return run.Finish(new Ensemble([model], TargetTransform.None), encoder, trainedOn, result, parts, rowsPerEpoch);
    }
}
