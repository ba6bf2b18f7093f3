using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Search;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>
/// <see cref="TableModel.Fit"/> for a file that fits in memory: load, check the whole file, set the
/// test rows aside, fit the encoding on the training rows, then search (<see cref="SearchFit"/>) or
/// fit (or resume) one network, and score.
/// </summary>
internal static class LoadedFit
{
    private const ulong TestSplitStream = 0x5445_5354_5350_4C54UL;

    public static TableModel Run(string path, TableOptions options, IProgress<TableProgress>? progress, CancellationToken cancel)
    {
        var run = new FitRun(progress);
        var resumeFrom = options.Resume is { } resumePath ? ReadCheckpoint(resumePath, options) : null;
        var data = Prepare(run, path, options);
        if (!options.Searches)
            return Single(run, data, options, resumeFrom, cancel);
        if (FoldPlan.FoldsFor(data.Training.Rows) is int folds)
            return SearchFit.Run(run, data, options, folds, progress, cancel);
        run.Warn($"{path} has only {data.Training.Rows} training rows, too few to cross-validate: one network was trained as given, without the search.");
        return Single(run, data, options, resumeFrom, cancel);
    }

    /// <summary>
    /// Loads the file and sets the test rows aside before anything is learned from the data, then
    /// learns the encoding on the training rows only and encodes every part with it.
    /// </summary>
    private static PreparedData Prepare(FitRun run, string path, TableOptions options)
    {
        var csv = options.Csv;

        // Fitting on the whole file checks it first (columns, types, missing values), so an error
        // counts and names rows of the file, whichever side of the split they fall on.
        var table = DataTable.Load(path, csv);
        var encoderOptions = options.Encoder;
        var wholeFile = TableEncoder.Fit(table, encoderOptions);
        run.Notice(wholeFile.Notices);
        if (!options.Searches && options.Search == SearchMode.Auto)
            run.Notice([$"{(options.Stream ? "--stream" : options.Resume is not null ? "--resume" : "--checkpoint")} trains one network as given: the search needs the rows in memory and keeps no checkpoints."]);
        // Types come from every value in the file, not from whichever rows the split gives training.
        encoderOptions = encoderOptions with
        {
            Targets = wholeFile.TargetNames,
            Ignore = [.. wholeFile.State.Ignore.Except(wholeFile.Types!.Excluded)],
            Types = wholeFile.Types,
        };
        var (trainTable, testTable) = SplitTest(run, path, table, options);

        var encoder = TableEncoder.Fit(trainTable, encoderOptions);
        var all = encoder.Encode(trainTable, requireTargets: true, out var trainSummary);
        EncodingSummary? testSummary = null;
        var testRows = testTable is null ? null : encoder.Encode(testTable, requireTargets: true, out testSummary);
        if (all.Rows < 2)
            throw new DataFormatException($"only {all.Rows} training row(s) left after dropping missing values; at least 2 are needed.", path);
        if (options.TargetTransform == TargetTransform.Log && !TargetTransforms.AllPositive(all.Targets))
            throw new DataFormatException("the target transform is log, so every target value must be positive; some are zero or negative. Use the transform none (or auto, which offers the log only to positive targets).", path);
        var test = testRows is { Rows: > 0 } ? testRows : null;
        var unseen = testSummary?.UnseenCategories ?? new Dictionary<string, int>();
        var summary = new DataSummary
        {
            File = path,
            Rows = table.RowCount,
            Inputs = encoder.FeatureNames.Count,
            Columns = encoder.State.Columns.Count,
            Targets = encoder.TargetNames,
            TestRows = test?.Rows ?? 0,
            DroppedRows = trainSummary.DroppedRows + (testSummary?.DroppedRows ?? 0),
            Missing = MissingValues.Of(encoder, trainSummary, testSummary),
            UnseenTestCategories = unseen,
        };
        var trainedOn = new DataFingerprint(Path.GetFileName(path), all.Rows, TableModel.Sha256(path));
        return new PreparedData(path, encoder, all, test, summary, trainedOn);
    }

    // One network with the options as given, or continued from a checkpoint.
    private static TableModel Single(FitRun run, PreparedData data, TableOptions options, CheckpointDocument? resumeFrom, CancellationToken cancel)
    {
        var (_, encoder, all, test, summary, trainedOn) = data;
        var transform = options.TargetTransform == TargetTransform.Log ? TargetTransform.Log : TargetTransform.None;
        var regressorOptions = options.ToRegressorOptions();
        // The validation rows are chosen here rather than inside Fit so that their metrics can be
        // reported; the rule is the regressor's own. The network trains on transformed targets; the
        // parts are scored in the targets' own units.
        var transformed = all with { Targets = (double[])all.Targets.Clone() };
        TargetTransforms.Apply(transform, transformed.Targets);
        bool holdOut = regressorOptions.EarlyStopping && regressorOptions.ValidationFraction > 0;
        var (fit, validation) = holdOut ? all.HoldOut(regressorOptions.ValidationFraction, regressorOptions.Seed) : (all, null);
        var (fitTransformed, validationTransformed) = holdOut ? transformed.HoldOut(regressorOptions.ValidationFraction, regressorOptions.Seed) : (transformed, null);
        run.Report(new TableProgress.DataRead(summary with { TrainRows = fit.Rows, ValidationRows = validation?.Rows ?? 0 }));
        if (summary.UnseenTestCategories.Count > 0)
            run.Warn(TableWarnings.Unseen(summary.UnseenTestCategories, "test"));

        MlpRegressor model;
        Func<IProgress<EpochRecord>, TrainingResult> fitter;
        if (resumeFrom is not null)
        {
            string resume = TableOptionsException.Literal(options.Resume!);
            if (resumeFrom.Model.Data?.Sha256 != trainedOn.Sha256)
                throw new TableOptionsException($"{{0}}: {resume} was written for other data ({TableOptionsException.Literal(resumeFrom.Model.Data?.File ?? "unknown file")}); resume with the same data file.", nameof(TableOptions.Resume));
            model = ModelFile.ToModel(resumeFrom.Model, Path.GetFileName(options.Resume));
            if (model.FeatureCount != fit.Features || model.TargetCount != fit.Outputs)
                throw new TableOptionsException($"{{0}}: {resume} was written for {model.FeatureCount} inputs and {model.TargetCount} targets; this data encodes to {fit.Features} and {fit.Outputs}. Resume with the same options.", nameof(TableOptions.Resume));
            run.Report(new TableProgress.Resuming(options.Resume!, resumeFrom.Trainer.EpochsCompleted));
            fitter = epochs => model.Resume(resumeFrom.Trainer, fitTransformed, validationTransformed, epochs, cancel);
        }
        else
        {
            model = new MlpRegressor(regressorOptions);
            fitter = epochs => model.Fit(fitTransformed, validationTransformed, epochs, cancel);
        }
        var result = fitter(run.Epochs(model, encoder, trainedOn, options));

        var parts = new List<(string, DataSet)> { ("train", fit) };
        if (validation is not null) parts.Add(("validation", validation));
        if (test is not null) parts.Add(("test", test));
        return run.Finish(new Ensemble([model], transform), encoder, trainedOn, result, parts);
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
