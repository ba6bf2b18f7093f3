using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>
/// <see cref="TableModel.Fit"/> for a file that fits in memory: load, check the whole file, set the
/// test rows aside, fit the encoding on the training rows, fit (or resume) the network, score.
/// </summary>
internal static class LoadedFit
{
    private const ulong TestSplitStream = 0x5445_5354_5350_4C54UL;

    public static TableModel Run(string path, TableOptions options, IProgress<TableProgress>? progress, CancellationToken cancel)
    {
        var run = new FitRun(progress);
        var resumeFrom = options.Resume is { } resumePath ? ReadCheckpoint(resumePath, options) : null;
        var csv = options.Csv;

        // 1. Load, and set the test rows aside before anything is learned from the data. Fitting on
        // the whole file checks it first (columns, types, missing values), so an error counts and
        // names rows of the file, whichever side of the split they fall on.
        var table = DataTable.Load(path, csv);
        var encoderOptions = options.Encoder;
        var wholeFile = TableEncoder.Fit(table, encoderOptions);
        run.Notice(wholeFile.Notices);
        // Types come from every value in the file, not from whichever rows the split gives training.
        encoderOptions = encoderOptions with
        {
            Targets = wholeFile.TargetNames,
            Ignore = [.. wholeFile.State.Ignore.Except(wholeFile.Types!.Excluded)],
            Types = wholeFile.Types,
        };
        var (trainTable, testTable) = SplitTest(run, path, table, options);

        // 2. Learn the encoding on the training rows only, then encode every part with it.
        var encoder = TableEncoder.Fit(trainTable, encoderOptions);
        var all = encoder.Encode(trainTable, requireTargets: true, out var trainSummary);
        EncodingSummary? testSummary = null;
        var testRows = testTable is null ? null : encoder.Encode(testTable, requireTargets: true, out testSummary);
        if (all.Rows < 2)
            throw new DataFormatException($"only {all.Rows} training row(s) left after dropping missing values; at least 2 are needed.", path);
        var regressorOptions = options.ToRegressorOptions();
        // The validation rows are chosen here rather than inside Fit so that their metrics can be
        // reported; the rule is the regressor's own.
        var (fit, validation) = regressorOptions.EarlyStopping && regressorOptions.ValidationFraction > 0
            ? all.HoldOut(regressorOptions.ValidationFraction, regressorOptions.Seed)
            : (all, null);
        var test = testRows is { Rows: > 0 } ? testRows : null;
        var unseen = testSummary?.UnseenCategories ?? new Dictionary<string, int>();
        run.Report(new TableProgress.DataRead(new DataSummary
        {
            File = path,
            Rows = table.RowCount,
            Inputs = encoder.FeatureNames.Count,
            Columns = encoder.State.Columns.Count,
            Targets = encoder.TargetNames,
            TrainRows = fit.Rows,
            ValidationRows = validation?.Rows ?? 0,
            TestRows = test?.Rows ?? 0,
            DroppedRows = trainSummary.DroppedRows + (testSummary?.DroppedRows ?? 0),
            Missing = MissingValues.Of(encoder, trainSummary, testSummary),
            UnseenTestCategories = unseen,
        }));
        if (unseen.Count > 0)
            run.Warn(TableWarnings.Unseen(unseen, "test"));

        // 3. Fit, with progress (and checkpoints), or go on from a checkpoint.
        string dataHash = TableModel.Sha256(path);
        var trainedOn = new DataFingerprint(Path.GetFileName(path), all.Rows, dataHash);
        MlpRegressor model;
        Func<IProgress<EpochRecord>, TrainingResult> fitter;
        if (resumeFrom is not null)
        {
            string resume = TableOptionsException.Literal(options.Resume!);
            if (resumeFrom.Model.Data?.Sha256 != dataHash)
                throw new TableOptionsException($"{{0}}: {resume} was written for other data ({TableOptionsException.Literal(resumeFrom.Model.Data?.File ?? "unknown file")}); resume with the same data file.", nameof(TableOptions.Resume));
            model = ModelFile.ToModel(resumeFrom.Model, Path.GetFileName(options.Resume));
            if (model.FeatureCount != fit.Features || model.TargetCount != fit.Outputs)
                throw new TableOptionsException($"{{0}}: {resume} was written for {model.FeatureCount} inputs and {model.TargetCount} targets; this data encodes to {fit.Features} and {fit.Outputs}. Resume with the same options.", nameof(TableOptions.Resume));
            run.Report(new TableProgress.Resuming(options.Resume!, resumeFrom.Trainer.EpochsCompleted));
            fitter = epochs => model.Resume(resumeFrom.Trainer, fit, validation, epochs, cancel);
        }
        else
        {
            model = new MlpRegressor(regressorOptions);
            fitter = epochs => model.Fit(fit, validation, epochs, cancel);
        }
        var result = fitter(run.Epochs(model, encoder, trainedOn, options));

        var parts = new List<(string, DataSet)> { ("train", fit) };
        if (validation is not null) parts.Add(("validation", validation));
        if (test is not null) parts.Add(("test", test));
        return run.Finish(model, encoder, trainedOn, result, parts);
    }

    // Reads a checkpoint to resume from and checks it was made with the same training options.
    private static CheckpointDocument ReadCheckpoint(string path, TableOptions options)
    {
        if (!File.Exists(path))
            throw new TableOptionsException($"{{0}}: {TableOptionsException.Literal(path)}: no such checkpoint file.", nameof(TableOptions.Resume));
        var checkpoint = CheckpointFile.Read(path);
        if (checkpoint.Model.Options is not { } saved || !options.CanResume(saved))
            throw new TableOptionsException($"{{0}}: {TableOptionsException.Literal(path)} was written with other training options; resume with the same command line that wrote it (plus {{0}}).", nameof(TableOptions.Resume));
        return checkpoint;
    }

    private static (DataTable Train, DataTable? Test) SplitTest(FitRun run, string path, DataTable table, TableOptions options)
    {
        if (options.TestFile is not null)
            return (table, DataTable.Load(options.TestFile, options.Csv));
        double fraction = options.EffectiveTestFraction;
        if (fraction <= 0)
            return (table, null);
        int held = (int)Math.Round(table.RowCount * fraction);
        if (held < 1 || table.RowCount - held < 2)
        {
            run.Warn($"{path} has only {table.RowCount} rows: no test rows set aside, so there are no test metrics.");
            return (table, null);
        }
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Rng(options.Seed ^ TestSplitStream).Shuffle(order);
        var testRows = order[..held];
        var trainRows = order[held..];
        Array.Sort(testRows);
        Array.Sort(trainRows);
        return (table.Select(trainRows), table.Select(testRows));
    }
}
