using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary><c>backprop train DATA --target COL</c>: split, encode, fit, report, save, plot.</summary>
internal static class TrainCommand
{
    private const ulong TestSplitStream = 0x5445_5354_5350_4C54UL;
    private const double DefaultTestFraction = 0.2;

    public static Command Create(Io io)
    {
        var d = new RegressorOptions(); // the library's defaults, shown in help; never copied
        var data = new Argument<string>("DATA") { Description = "CSV or TSV file with a header row (separator detected)." };
        var target = new Option<string[]>("--target", "-t") { Description = "Target column(s) to predict: --target price, or --target a,b for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns to leave out (ids, leaks); repeat it or give a comma list." };
        var missing = new Option<string?>("--missing") { Description = $"Empty fields: {Parsing.Names(Parsing.MissingPolicies)}. error (default) stops and says where; drop leaves the rows out; mean fills numbers with the training mean and text with all zeros (no category). Rows with a missing target are never imputed.", HelpName = "error|drop|mean" };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data; columns are named column1, column2, ..." };
        var separator = new Option<string?>("--separator") { Description = "Field separator (, ; | or tab); detected from the first line when not given.", HelpName = "CHAR" };
        var hidden = new Option<string?>("--hidden") { Description = $"Hidden layer sizes, first to last; 'none' for a linear model. Default {string.Join(",", d.HiddenLayers)}.", HelpName = "64,64" };
        var activation = new Option<string?>("--activation") { Description = $"Hidden activation: {Parsing.Names(Parsing.Activations)}. Default {Parsing.NameOf(Parsing.Activations, d.Activation)}.", HelpName = "NAME" };
        var loss = new Option<string?>("--loss") { Description = $"Training loss: {Parsing.Names(Parsing.Losses)}. Default {Parsing.NameOf(Parsing.Losses, d.Loss)}.", HelpName = "NAME" };
        var huberDelta = new Option<double?>("--huber-delta") { Description = $"Huber's delta in standardized target units. Default {d.HuberDelta}.", HelpName = "X" };
        var optimizer = new Option<string?>("--optimizer") { Description = $"Optimizer: {Parsing.Names(Parsing.Optimizers)}. Default {Parsing.NameOf(Parsing.Optimizers, d.Optimizer)}.", HelpName = "NAME" };
        var learningRate = new Option<double?>("--learning-rate", "--lr") { Description = $"Base learning rate. Default {d.LearningRate}.", HelpName = "X" };
        var schedule = new Option<string?>("--schedule") { Description = $"Learning-rate schedule: {Parsing.Names(Parsing.Schedules)}. Default {Parsing.NameOf(Parsing.Schedules, d.Schedule)}.", HelpName = "NAME" };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Rows per step (larger than the data = full batch). Default {d.BatchSize}.", HelpName = "N" };
        var epochs = new Option<int?>("--epochs") { Description = $"Maximum passes over the data. Default {d.Epochs}.", HelpName = "N" };
        var l2 = new Option<double?>("--l2") { Description = $"L2 penalty on the weights. Default {d.L2}.", HelpName = "X" };
        var clipNorm = new Option<double?>("--clip-norm") { Description = "Rescale gradients whose norm exceeds this. Default: no clipping.", HelpName = "X" };
        var validationFraction = new Option<double?>("--validation-fraction") { Description = $"Share of the training rows held out for early stopping. Default {d.ValidationFraction}.", HelpName = "X" };
        var patience = new Option<int?>("--patience") { Description = $"Epochs without validation improvement before stopping. Default {d.Patience}.", HelpName = "N" };
        var noEarlyStopping = new Option<bool>("--no-early-stopping") { Description = "Train for all epochs on all training rows (no validation hold-out)." };
        var testFraction = new Option<double?>("--test-fraction") { Description = $"Share of the rows set aside (at random, by --seed) to report test metrics; 0 for none. Default {DefaultTestFraction}.", HelpName = "X" };
        var testFile = new Option<string?>("--test-file") { Description = "Labelled file for the test metrics instead of a random share of DATA.", HelpName = "FILE" };
        var seed = new Option<ulong?>("--seed") { Description = $"Seed for the splits, the initial weights and the shuffles. Default {d.Seed}.", HelpName = "N" };
        var threads = new Option<int?>("--threads") { Description = "Threads for the kernels; 0 = all cores. Results do not depend on it. Default 0.", HelpName = "N" };
        var precision = new Option<string?>("--precision") { Description = $"Arithmetic: float|double. Default {Parsing.NameOf(Parsing.Precisions, d.Precision)}.", HelpName = "float|double" };
        var timeBudget = new Option<string?>("--time-budget") { Description = "Stop training after this long (90s, 5m, 1h); the best model so far is kept.", HelpName = "TIME" };
        var output = new Option<string?>("--out", "-o") { Description = "Model file to write (atomically). Default: <data name>.model.json in the current folder.", HelpName = "MODEL" };
        var plots = new Option<string?>("--plots") { Description = "Folder for the PNG plots (created if missing). Default: <model name>.plots next to the model.", HelpName = "DIR" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no plots." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but the metrics and where the files went." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a checkpoint (model, optimizer, schedule, random state, history) to this file, atomically, every --checkpoint-every epochs.", HelpName = "FILE" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Epochs between checkpoints. Default 1.", HelpName = "N" };
        var stream = new Option<bool>("--stream") { Description = "Train without loading the file: two streaming passes fit the encoding and scaling, then each epoch reads the file in chunks of --shuffle-buffer rows, shuffled within the chunk. Memory stays bounded, whatever the file's size. Every 1/validation-fraction-th row is held out for early stopping (at most 100,000 rows); test metrics need --test-file." };
        var shuffleBuffer = new Option<int?>("--shuffle-buffer") { Description = "With --stream: rows read, shuffled and trained on at a time. Default 65536.", HelpName = "N" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this checkpoint; give the same data and options as the run that wrote it. The result equals an uninterrupted run.", HelpName = "FILE" };

        var command = new Command("train",
            "Train a regressor on a CSV file: set aside test rows, encode the columns (numbers standardized, text one-hot), " +
            "fit with early stopping, print train/validation/test metrics, save the model and plots.\n\n" +
            "Examples:\n" +
            "  backprop train samples/diabetes.csv --target target\n" +
            "  backprop train houses.csv --target price --ignore id --missing mean --hidden 128,64 --epochs 500\n" +
            "  backprop train data.tsv --target y --test-file holdout.tsv --out model.json --plots plots/\n" +
            "  backprop train big.csv --target y --checkpoint run.ckpt.json      (after a crash: the same command plus --resume run.ckpt.json)")
        {
            data, target, ignore, missing, noHeader, separator, hidden, activation, loss, huberDelta, optimizer, learningRate,
            schedule, batchSize, epochs, l2, clipNorm, validationFraction, patience, noEarlyStopping, testFraction, testFile,
            seed, threads, precision, timeBudget, output, plots, noPlots, quiet, checkpoint, checkpointEvery, resume, stream, shuffleBuffer,
        };
        CliApp.SetAction(command, io, p =>
        {
            var o = new RegressorOptions { ScaleInputs = false, ScaleTargets = true };
            if (p.GetValue(hidden) is { } h) o = o with { HiddenLayers = Parsing.LayerSizes("--hidden", h) };
            if (p.GetValue(activation) is { } a) o = o with { Activation = Parsing.Choice("--activation", a, Parsing.Activations) };
            if (p.GetValue(loss) is { } lo) o = o with { Loss = Parsing.Choice("--loss", lo, Parsing.Losses) };
            if (p.GetValue(huberDelta) is { } hd) o = o with { HuberDelta = hd };
            if (p.GetValue(optimizer) is { } op) o = o with { Optimizer = Parsing.Choice("--optimizer", op, Parsing.Optimizers) };
            if (p.GetValue(learningRate) is { } lr) o = o with { LearningRate = lr };
            if (p.GetValue(schedule) is { } sc) o = o with { Schedule = Parsing.Choice("--schedule", sc, Parsing.Schedules) };
            if (p.GetValue(batchSize) is { } bs) o = o with { BatchSize = bs };
            if (p.GetValue(epochs) is { } ep) o = o with { Epochs = ep };
            if (p.GetValue(l2) is { } l) o = o with { L2 = l };
            if (p.GetValue(clipNorm) is { } cn) o = o with { ClipNorm = cn };
            if (p.GetValue(validationFraction) is { } vf) o = o with { ValidationFraction = vf };
            if (p.GetValue(patience) is { } pa) o = o with { Patience = pa };
            if (p.GetValue(noEarlyStopping))
            {
                o = o with { EarlyStopping = false };
                if (p.GetValue(validationFraction) is not null || p.GetValue(patience) is not null)
                    io.Warn("--validation-fraction and --patience have no effect with --no-early-stopping.");
            }
            if (p.GetValue(seed) is { } s) o = o with { Seed = s };
            if (p.GetValue(threads) is { } t) o = o with { Threads = t };
            if (p.GetValue(precision) is { } pr) o = o with { Precision = Parsing.Choice("--precision", pr, Parsing.Precisions) };
            if (p.GetValue(timeBudget) is { } tb) o = o with { TimeBudget = Parsing.Duration("--time-budget", tb) };
            o.Validate();

            var settings = new Settings
            {
                Data = p.GetValue(data)!,
                Targets = Parsing.Names(p.GetValue(target)),
                Ignore = Parsing.Names(p.GetValue(ignore)),
                Missing = p.GetValue(missing) is { } m ? Parsing.Choice("--missing", m, Parsing.MissingPolicies) : new EncoderOptions { Targets = [] }.Missing,
                Csv = new CsvOptions(!p.GetValue(noHeader), p.GetValue(separator) is { } sep ? Parsing.Separator(sep) : null),
                TestFraction = p.GetValue(testFraction) ?? DefaultTestFraction,
                TestFractionGiven = p.GetValue(testFraction) is not null,
                TestFile = p.GetValue(testFile),
                Out = p.GetValue(output),
                Plots = p.GetValue(noPlots) ? null : p.GetValue(plots) ?? "",
                Quiet = p.GetValue(quiet),
                Checkpoint = p.GetValue(checkpoint),
                CheckpointEvery = p.GetValue(checkpointEvery) ?? 1,
                Resume = p.GetValue(resume),
                Stream = p.GetValue(stream),
                ShuffleBuffer = p.GetValue(shuffleBuffer) ?? StreamTraining.DefaultShuffleBuffer,
                Options = o,
            };
            return Run(io, settings);
        });
        return command;
    }

    internal sealed record Settings
    {
        public required string Data { get; init; }
        public required string[] Targets { get; init; }
        public required string[] Ignore { get; init; }
        public required MissingPolicy Missing { get; init; }
        public required CsvOptions Csv { get; init; }
        public required double TestFraction { get; init; }
        public bool TestFractionGiven { get; init; }
        public string? TestFile { get; init; }
        public string? Out { get; init; }

        /// <summary>Null: no plots; empty: the default folder.</summary>
        public string? Plots { get; init; }

        public bool Quiet { get; init; }
        public string? Checkpoint { get; init; }
        public int CheckpointEvery { get; init; } = 1;
        public string? Resume { get; init; }
        public bool Stream { get; init; }
        public int ShuffleBuffer { get; init; } = StreamTraining.DefaultShuffleBuffer;
        public required RegressorOptions Options { get; init; }
    }

    private static int Run(Io io, Settings s)
    {
        if (s.Targets.Length == 0)
            throw new CliException("--target: name at least one target column.");
        if (s.TestFraction < 0 || s.TestFraction >= 1 || double.IsNaN(s.TestFraction))
            throw new CliException($"--test-fraction must be in [0, 1); got {Parsing.Number(s.TestFraction)}.");
        if (s.TestFile is not null && s.TestFractionGiven)
            throw new CliException("--test-file and --test-fraction cannot be used together; give one of them.");

        // Every output path is checked before any work, so a typo costs nothing and destroys nothing.
        string modelPath = s.Out ?? Path.GetFileNameWithoutExtension(s.Data) + ".model.json";
        CheckOutputFolder(modelPath, "--out");
        if (Path.GetFullPath(modelPath) == Path.GetFullPath(s.Data) || (s.TestFile is not null && Path.GetFullPath(modelPath) == Path.GetFullPath(s.TestFile)))
            throw new CliException($"--out: '{modelPath}' is an input file; write the model to another file.");
        if (Directory.Exists(modelPath))
            throw new CliException($"--out: '{modelPath}' is a folder; give a file name such as model.json.");
        if (s.Stream && (s.Checkpoint is not null || s.Resume is not null))
            throw new CliException("--checkpoint and --resume cannot be used with --stream yet; train without --stream to checkpoint.");
        if (s.CheckpointEvery < 1)
            throw new CliException($"--checkpoint-every must be at least 1; got {s.CheckpointEvery}.");
        if (s.Checkpoint is not null)
        {
            CheckOutputFolder(s.Checkpoint, "--checkpoint");
            if (Path.GetFullPath(s.Checkpoint) == Path.GetFullPath(modelPath) || Path.GetFullPath(s.Checkpoint) == Path.GetFullPath(s.Data))
                throw new CliException($"--checkpoint: '{s.Checkpoint}' is the model or data file; give the checkpoint its own file.");
        }
        CheckpointDocument? resumeFrom = s.Resume is null ? null : ReadCheckpoint(s.Resume, s.Options);
        string? plotDir = s.Plots is null ? null : s.Plots.Length > 0 ? s.Plots : DefaultPlotFolder(modelPath);
        if (plotDir is not null)
        {
            if (File.Exists(plotDir))
                throw new CliException($"--plots: '{plotDir}' is a file; give a folder.");
            CheckOutputFolder(Path.TrimEndingDirectorySeparator(plotDir), "--plots");
        }
        if (s.Stream)
            return StreamTraining.Run(io, s, modelPath, plotDir);
        var info = s.Quiet ? TextWriter.Null : io.Out;

        // 1. Load, and set the test rows aside before anything is learned from the data. The whole
        // file is checked first (columns, types, missing values), so an error counts and names rows
        // of the file, whichever side of the split they fall on.
        var table = DataTable.Load(s.Data, s.Csv);
        var encoderOptions = new EncoderOptions { Targets = s.Targets, Ignore = s.Ignore, Missing = s.Missing };
        var wholeFile = TableEncoder.Fit(table, encoderOptions);
        wholeFile.Encode(table, requireTargets: true);
        // Kinds come from every value in the file, not from whichever rows the split gives training.
        encoderOptions = encoderOptions with
        {
            TextColumns = wholeFile.State.Columns.Where(c => c.Kind == ColumnKind.Text).Select(c => c.Name).ToArray(),
        };
        WarnAboutStrayText(io, table, encoderOptions.TextColumns);
        DataTable trainTable = table;
        DataTable? testTable = null;
        if (s.TestFile is not null)
        {
            testTable = DataTable.Load(s.TestFile, s.Csv);
        }
        else if (s.TestFraction > 0)
        {
            int held = (int)Math.Round(table.RowCount * s.TestFraction);
            if (held >= 1 && table.RowCount - held >= 2)
            {
                var order = Enumerable.Range(0, table.RowCount).ToArray();
                new Rng(s.Options.Seed ^ TestSplitStream).Shuffle(order);
                var testRows = order[..held];
                var trainRows = order[held..];
                Array.Sort(testRows);
                Array.Sort(trainRows);
                testTable = table.Select(testRows);
                trainTable = table.Select(trainRows);
            }
            else
            {
                io.Warn($"{s.Data} has only {table.RowCount} rows: no test rows set aside, so there are no test metrics.");
            }
        }

        // 2. Learn the encoding on the training rows only, then encode every part with it.
        var encoder = TableEncoder.Fit(trainTable, encoderOptions);
        var trainEncoded = encoder.Encode(trainTable, requireTargets: true);
        var testEncoded = testTable is null ? null : encoder.Encode(testTable, requireTargets: true);
        if (trainEncoded.Rows < 2)
            throw new CliException($"{s.Data}: only {trainEncoded.Rows} training row(s) left after dropping missing values; at least 2 are needed.");
        var (fit, validation) = SplitValidation(ToDataSet(trainEncoded), s.Options);
        var test = testEncoded is { Rows: > 0 } ? ToDataSet(testEncoded) : null;

        info.WriteLine($"{Path.GetFileName(s.Data)}: {table.RowCount} rows, {Noun(encoder.FeatureNames.Count, "input")} from {Noun(encoder.State.Columns.Count, "column")}, target {string.Join(", ", encoder.TargetNames)}.");
        info.WriteLine($"Rows: {fit.Rows} train, {validation?.Rows ?? 0} validation, {test?.Rows ?? 0} test{Dropped(trainEncoded, testEncoded)}.");
        if (testEncoded is not null)
            WarnUnseen(io, testEncoded.UnseenCategories, "test");

        // 3. Fit, with progress (and checkpoints), or go on from a checkpoint.
        string dataHash = Sha256(s.Data);
        var fingerprint = new DataFingerprint(Path.GetFileName(s.Data), trainEncoded.Rows, dataHash);
        ModelDocument Describe(MlpRegressor m) => ModelFile.ToDocument(m) with
        {
            FeatureNames = encoder.FeatureNames.ToArray(),
            TargetNames = encoder.TargetNames.ToArray(),
            Data = fingerprint,
            Table = encoder.State,
        };
        MlpRegressor model;
        Func<IProgress<EpochRecord>?, TrainingResult> fitter;
        if (resumeFrom is not null)
        {
            if (resumeFrom.Model.Data?.Sha256 != dataHash)
                throw new CliException($"--resume: {s.Resume} was written for other data ({resumeFrom.Model.Data?.File ?? "unknown file"}); resume with the same data file.");
            model = ModelFile.ToModel(resumeFrom.Model, Path.GetFileName(s.Resume));
            if (model.FeatureCount != fit.Features || model.TargetCount != fit.Outputs)
                throw new CliException($"--resume: {s.Resume} was written for {model.FeatureCount} inputs and {model.TargetCount} targets; this data encodes to {fit.Features} and {fit.Outputs}. Resume with the same options.");
            info.WriteLine($"Resuming from {s.Resume} after epoch {resumeFrom.Trainer.EpochsCompleted}.");
            fitter = progress => model.Resume(resumeFrom.Trainer, fit, validation, progress, io.Cancel);
        }
        else
        {
            model = new MlpRegressor(s.Options);
            fitter = progress => model.Fit(fit, validation, progress, io.Cancel);
        }
        if (s.Checkpoint is { } checkpointPath)
        {
            var inner = fitter;
            fitter = progress => inner(new Reporter(r =>
            {
                // The callback runs between epochs, when the trainer's state is settled.
                if (r.Epoch % s.CheckpointEvery == 0)
                    CheckpointFile.Write(new CheckpointDocument(Describe(model), model.CaptureTrainingState()), checkpointPath);
                progress?.Report(r);
            }));
        }
        var result = Fit(io, s, fitter);
        var rows = new List<(string Name, DataSet Data)> { ("train", fit) };
        if (validation is not null) rows.Add(("validation", validation));
        if (test is not null) rows.Add(("test", test));
        return Finish(io, s, model, result, encoder.TargetNames, rows, Describe, modelPath, plotDir);
    }

    // What every training run ends with: the divergence check, metrics in the target's units, the
    // model written atomically with everything predict needs, and plots of the last rows listed.
    internal static int Finish(Io io, Settings s, MlpRegressor model, TrainingResult result, IReadOnlyList<string> targetNames,
        List<(string Name, DataSet Data)> rows, Func<MlpRegressor, ModelDocument> describe, string modelPath, string? plotDir)
    {
        var info = s.Quiet ? TextWriter.Null : io.Out;
        if (result.Reason == StopReason.Diverged)
        {
            string hint = (result.Hint ?? "the loss became NaN or infinite; lower the learning rate or set a gradient clipping norm").TrimEnd('.');
            io.Err.WriteLine($"error: training diverged: {hint} (options --learning-rate, --clip-norm). No model was written.");
            return ExitCodes.BadInput;
        }

        PrintMetrics(io, model, targetNames, rows);
        if (!s.Quiet)
        {
            if (result.Reason != StopReason.Cancelled)
                info.WriteLine(Summary(result, s.Options));
            if (result.Hint is not null && result.Reason != StopReason.Cancelled)
                info.WriteLine("Hint: " + result.Hint);
        }

        ModelFile.Write(describe(model), modelPath);

        var plotFiles = new List<string>();
        if (plotDir is not null && rows.Count > 0)
        {
            var shown = rows[^1];
            plotFiles.AddRange(Plots.Write(plotDir, model.History.Epochs, model, targetNames, shown.Name, shown.Data));
        }

        if (result.Reason == StopReason.Cancelled)
            io.Out.WriteLine($"Stopped by Ctrl+C after {result.EpochsRun} epochs; saved the best model so far (epoch {result.BestEpoch}).");
        io.Out.WriteLine(plotDir is null
            ? $"Model written to {modelPath}."
            : $"Model written to {modelPath}; plots in {plotDir}{Path.DirectorySeparatorChar} ({string.Join(", ", plotFiles.Select(Path.GetFileName))}).");
        return ExitCodes.Ok;
    }

    internal static string DefaultPlotFolder(string modelPath)
    {
        string name = Path.GetFileName(modelPath);
        string stem = name.EndsWith(".model.json", StringComparison.OrdinalIgnoreCase) ? name[..^".model.json".Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(modelPath) ?? "", stem + ".plots");
    }

    internal static void CheckOutputFolder(string path, string option)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(folder))
            throw new CliException($"{option}: the folder '{Path.GetDirectoryName(path)}' of '{path}' does not exist; create it first.");
    }

    private static string Dropped(EncodedData train, EncodedData? test)
    {
        int dropped = train.DroppedRows + (test?.DroppedRows ?? 0);
        return dropped == 0 ? "" : $" ({dropped} rows with missing values left out)";
    }

    internal static void WarnUnseen(Io io, IReadOnlyDictionary<string, int> unseen, string where)
    {
        if (unseen.Count == 0)
            return;
        io.Warn($"{unseen.Values.Sum()} {where} value(s) had categories not seen in training and were encoded as all zeros: " +
            string.Join(", ", unseen.Select(kv => $"{kv.Key} ({kv.Value})")) + ".");
    }

    private static DataSet ToDataSet(EncodedData e) => new(e.Features, e.FeatureCount, e.Targets!, e.TargetCount);

    // The validation rows are chosen here rather than inside Fit so that their metrics can be
    // reported; the rule is the library's own.
    private static (DataSet Fit, DataSet? Validation) SplitValidation(DataSet data, RegressorOptions o) =>
        o.EarlyStopping && o.ValidationFraction > 0 ? data.HoldOut(o.ValidationFraction, o.Seed) : (data, null);

    // Reads a checkpoint to resume from and checks it was made with the same training options.
    private static CheckpointDocument ReadCheckpoint(string path, RegressorOptions options)
    {
        if (!File.Exists(path))
            throw new CliException($"--resume: {path}: no such checkpoint file.");
        var checkpoint = CheckpointFile.Read(path);
        var saved = checkpoint.Model.Options;
        static string Comparable(RegressorOptions o) =>
            System.Text.Json.JsonSerializer.Serialize(o with { Threads = 0, TimeBudget = null, WarmStart = false, ScaleInputs = false, ScaleTargets = true });
        if (saved is null || Comparable(saved) != Comparable(options))
            throw new CliException($"--resume: {path} was written with other training options; resume with the same command line that wrote it (plus --resume).");
        return checkpoint;
    }

    internal static TrainingResult Fit(Io io, Settings s, Func<IProgress<EpochRecord>?, TrainingResult> fit)
    {
        int epochs = s.Options.Epochs;
        if (s.Quiet)
            return fit(null);
        if (io.Interactive)
        {
            TrainingResult? result = null;
            io.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("epoch 0", maxValue: epochs);
                    var progress = new Reporter(r =>
                    {
                        task.Value = r.Epoch;
                        task.Description = $"epoch {r.Epoch}/{epochs}  train {Parsing.Number(r.TrainLoss)}" +
                            (r.ValidationLoss is { } v ? $"  validation {Parsing.Number(v)}" : "");
                    });
                    result = fit(progress);
                    task.Value = epochs;
                });
            return result!;
        }
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        int every = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        var plain = new Reporter(r =>
        {
            if (io.Verbose || r.Epoch % every == 0 || r.Epoch == 1 || clock.Elapsed - last > TimeSpan.FromSeconds(5))
            {
                last = clock.Elapsed;
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {r.Epoch}/{epochs}  train loss {Parsing.Number(r.TrainLoss)}{(r.ValidationLoss is { } v ? "  validation loss " + Parsing.Number(v) : "")}  {clock.Elapsed.TotalSeconds:F1}s"));
            }
        });
        return fit(plain);
    }

    private static string Summary(TrainingResult r, RegressorOptions o) => r.Reason switch
    {
        StopReason.EarlyStopping => $"Stopped early after {r.EpochsRun} epochs: the validation loss stopped improving; kept epoch {r.BestEpoch}.",
        StopReason.EpochLimit => $"Ran all {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        StopReason.Converged => $"Converged after {r.EpochsRun} epochs.",
        StopReason.TimeBudget => $"Time budget ({o.TimeBudget}) ran out after {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        StopReason.Cancelled => $"Cancelled after {r.EpochsRun} epochs; kept epoch {r.BestEpoch}.",
        _ => $"Stopped after {r.EpochsRun} epochs ({r.Reason}).",
    };

    internal static void PrintMetrics(Io io, MlpRegressor model, IReadOnlyList<string> targets, IEnumerable<(string Name, DataSet Data)> parts)
    {
        var table = new Table().AddColumn("rows").AddColumn(new TableColumn("n").RightAligned());
        bool perTarget = targets.Count > 1;
        if (perTarget)
            table.AddColumn("target");
        table.AddColumn(new TableColumn("R2").RightAligned()).AddColumn(new TableColumn("RMSE").RightAligned()).AddColumn(new TableColumn("MAE").RightAligned());
        foreach (var (name, data) in parts)
        {
            var score = model.Score(data);
            if (perTarget)
            {
                for (int k = 0; k < targets.Count; k++)
                {
                    var (r2, rmse, mae) = score.PerTarget[k];
                    table.AddRow(k == 0 ? name : "", k == 0 ? Count(data.Rows) : "", Markup.Escape(targets[k]), F(r2), F(rmse), F(mae));
                }
                table.AddRow("", "", "overall", F(score.R2), F(score.Rmse), F(score.Mae));
            }
            else
            {
                table.AddRow(name, Count(data.Rows), F(score.R2), F(score.Rmse), F(score.Mae));
            }
        }
        io.Console.Write(table);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    // "1 input", "10 inputs".
    internal static string Noun(int n, string word) => $"{Count(n)} {word}{(n == 1 ? "" : "s")}";

    private static string F(double x) => Parsing.Number(x);

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Reports on the training thread itself (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class Reporter(Action<EpochRecord> report) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => report(value);
    }

    // A text column that is mostly numbers is most likely a numeric column with a typo: say where,
    // since it is otherwise silently one-hot encoded.
    private static void WarnAboutStrayText(Io io, DataTable table, IEnumerable<string> textColumns)
    {
        foreach (var name in textColumns)
        {
            int column = table.IndexOf(name);
            int row = table.StrayTextRow(column);
            if (row >= 0)
            {
                io.Warn($"{table.SourcePath}: line {table.LineNumber(row)}: column '{name}': '{table[row, column]}' is not a number, though most of the column is; " +
                    $"the column is read as text (categories). Fix the value if it should be numeric, or leave the column out with --ignore {name}.");
            }
        }
    }
}
