using System.CommandLine;
using Backprop.Tables;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary><c>backprop train DATA --target COL</c>: the options become <see cref="TableOptions"/>, the library fits, this shows and saves.</summary>
internal static class TrainCommand
{
    public static Command Create(Io io)
    {
        var d = new TableOptions(); // the library's defaults, shown in help; never copied
        var data = new Argument<string>("DATA") { Description = "CSV or TSV file with a header row (separator detected), or a Parquet file (.parquet, or --format parquet)." };
        var target = new Option<string[]>("--target", "-t") { Description = "Target column(s) to predict: --target price, or --target a,b for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns to leave out (ids, leaks); repeat it or give a comma list." };
        var missing = new Option<string?>("--missing") { Description = $"Empty fields: {Parsing.Names(Parsing.MissingPolicies)}. impute (default) fills numbers with the training median and adds a 0/1 <column>_missing input for each column that had empty fields, and makes empty text a category of its own; error stops and says where; drop leaves the rows out; mean fills numbers with the training mean and text with all zeros. Rows with an empty target are never imputed: they are left out and counted.", HelpName = "impute|error|drop|mean" };
        var na = new Option<string[]>("--na") { Description = "More values that mean missing in a numeric column (repeat it or give a comma list), besides empty and NA, N/A, n/a, NaN, nan, null, NULL, ?. In a text column they stay categories.", HelpName = "VALUE" };
        var decimalSeparator = new Option<string?>("--decimal") { Description = "Decimal separator of the numbers: . or ,. Detected when not given: a point in a comma-separated file; otherwise a comma when the numbers are written with one (32,1) and none with a point only.", HelpName = ".|," };
        var text = new Option<string[]>("--text") { Description = "Columns to read as text (categories) whatever their values, e.g. codes that are mostly numbers; repeat it or give a comma list.", HelpName = "COLUMN" };
        var keep = new Option<string[]>("--keep") { Description = "Columns to use even when they look useless: identifier-like text (nearly every value distinct) or a single value in every row, which are otherwise left out with a note.", HelpName = "COLUMN" };
        var (noHeader, separator, format) = Parsing.CsvOptions();
        var search = new Option<string?>("--search") { Description = "auto (default): try a fixed set of networks (tanh and relu, several sizes, learning rates and L2, and a log target when the target is positive and skewed) by 5-fold cross-validation, cheaply first and in full for the best few, and keep the best one's 5 fold networks, averaged; the metrics are out-of-fold. none: train one network with the options as given (--hidden, --activation, --learning-rate, --l2 need it), on 80% of the rows with a 20% test report.", HelpName = "auto|none" };
        var targetTransform = new Option<string?>("--target-transform") { Description = "Transform of the target for training: auto (default: the search tries the log when the target is positive and skewed, and keeps what cross-validates better; without the search, none), none, or log (every target value must be positive). Predictions and metrics are always in the target's own units.", HelpName = "auto|none|log" };
        var hidden = new Option<string?>("--hidden") { Description = $"With --search none: hidden layer sizes, first to last; 'none' for a linear model. Default {string.Join(",", d.HiddenLayers)}.", HelpName = "64,64" };
        var activation = new Option<string?>("--activation") { Description = $"With --search none: hidden activation: {Parsing.Names(Parsing.Activations)}. Default {Parsing.NameOf(Parsing.Activations, d.Activation)}.", HelpName = "NAME" };
        var loss = new Option<string?>("--loss") { Description = $"Training loss: {Parsing.Names(Parsing.Losses)}. Default {Parsing.NameOf(Parsing.Losses, d.Loss)}.", HelpName = "NAME" };
        var huberDelta = new Option<double?>("--huber-delta") { Description = $"Huber's delta in standardized target units. Default {d.HuberDelta}.", HelpName = "X" };
        var optimizer = new Option<string?>("--optimizer") { Description = $"Optimizer: {Parsing.Names(Parsing.Optimizers)}. Default {Parsing.NameOf(Parsing.Optimizers, d.Optimizer)}.", HelpName = "NAME" };
        var learningRate = new Option<double?>("--learning-rate", "--lr") { Description = $"With --search none: base learning rate. Default {d.LearningRate}.", HelpName = "X" };
        var schedule = new Option<string?>("--schedule") { Description = $"Learning-rate schedule: {Parsing.Names(Parsing.Schedules)}. Default {Parsing.NameOf(Parsing.Schedules, d.Schedule)}.", HelpName = "NAME" };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Rows per step (larger than the data = full batch). Default {d.BatchSize}.", HelpName = "N" };
        var epochs = new Option<int?>("--epochs") { Description = $"Maximum passes over the data. Default {d.Epochs}.", HelpName = "N" };
        var l2 = new Option<double?>("--l2") { Description = $"With --search none: L2 penalty on the weights. Default {d.L2}.", HelpName = "X" };
        var clipNorm = new Option<double?>("--clip-norm") { Description = "Rescale gradients whose norm exceeds this. Default: no clipping.", HelpName = "X" };
        var validationFraction = new Option<double?>("--validation-fraction") { Description = $"Share of the training rows held out for early stopping. Default {d.ValidationFraction}.", HelpName = "X" };
        var patience = new Option<int?>("--patience") { Description = $"Epochs without validation improvement before stopping. Default {d.Patience}.", HelpName = "N" };
        var noEarlyStopping = new Option<bool>("--no-early-stopping") { Description = "Train for all epochs on all training rows (no validation hold-out)." };
        var testFraction = new Option<double?>("--test-fraction") { Description = $"Share of the rows set aside (at random, by --seed) to report test metrics; 0 for none. Default: none with the search (cross-validation scores every row), {TableOptions.DefaultTestFraction} with --search none.", HelpName = "X" };
        var testFile = new Option<string?>("--test-file") { Description = "Labelled file for the test metrics instead of a random share of DATA.", HelpName = "FILE" };
        var seed = new Option<ulong?>("--seed") { Description = $"Seed for the splits, the initial weights and the shuffles. Default {d.Seed}.", HelpName = "N" };
        var threads = new Option<int?>("--threads") { Description = "Threads: for the search, networks trained at once; for one network, threads for its kernels. 0 = all cores. Results do not depend on it. Default 0.", HelpName = "N" };
        var precision = new Option<string?>("--precision") { Description = $"Arithmetic: float|double. Default {Parsing.NameOf(Parsing.Precisions, d.Precision)}.", HelpName = "float|double" };
        var timeBudget = new Option<string?>("--time-budget") { Description = "The time the search may take (90s, 5m, 1h); by default 15 s plus 0.8 ms per row, at most 110 s. When it binds, fewer candidates are tried and the result depends on the machine's speed. With --search none: stop training after this long, keeping the best model so far.", HelpName = "TIME" };
        var output = new Option<string?>("--out", "-o") { Description = "Model file to write (atomically). Default: <data name>.model.json in the current folder.", HelpName = "MODEL" };
        var plots = new Option<string?>("--plots") { Description = "Folder for the PNG plots (created if missing). Default: <model name>.plots next to the model.", HelpName = "DIR" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no plots." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but the metrics and where the files went." };
        var json = Parsing.JsonOption("the data summary, the scores per part, the stop reason, the warnings and the files written");
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Train one network (no search) and write a checkpoint (model, optimizer, schedule, random state, history) to this file, atomically, every --checkpoint-every epochs.", HelpName = "FILE" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Epochs between checkpoints. Default 1.", HelpName = "N" };
        var stream = new Option<bool>("--stream") { Description = "Train one network (no search) without loading the file: two streaming passes fit the encoding and scaling, then each epoch reads the file in chunks of --shuffle-buffer rows, shuffled within the chunk. Memory stays bounded, whatever the file's size. Every 1/validation-fraction-th row is held out for early stopping (at most 100,000 rows); test metrics need --test-file." };
        var shuffleBuffer = new Option<int?>("--shuffle-buffer") { Description = $"With --stream: rows read, shuffled and trained on at a time. Default {TableOptions.DefaultShuffleBuffer}.", HelpName = "N" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this checkpoint; give the same data and options as the run that wrote it. The result equals an uninterrupted run.", HelpName = "FILE" };

        var command = new Command("train",
            "Train a regressor on a CSV or Parquet file: encode the columns (numbers standardized, text one-hot), search a fixed set of networks by " +
            "5-fold cross-validation (each fold's network stops early on its held-out fold), keep the best one's fold networks as an " +
            "averaged ensemble, print the leaderboard and the out-of-fold metrics, save the model and plots. --search none trains one network instead.\n\n" +
            "Examples:\n" +
            "  backprop train samples/diabetes.csv --target target\n" +
            "  backprop train samples/diabetes.parquet --target target\n" +
            "  backprop train houses.csv --target price --ignore id --time-budget 5m\n" +
            "  backprop train houses.csv --target price --ignore id --missing drop --search none --hidden 128,64 --epochs 500\n" +
            "  backprop train data.tsv --target y --test-file holdout.tsv --out model.json --plots plots/\n" +
            "  backprop train big.csv --target y --checkpoint run.ckpt.json      (after a crash: the same command plus --resume run.ckpt.json)")
        {
            data, target, ignore, missing, na, decimalSeparator, text, keep, noHeader, separator, format, search, targetTransform, hidden, activation, loss, huberDelta, optimizer, learningRate,
            schedule, batchSize, epochs, l2, clipNorm, validationFraction, patience, noEarlyStopping, testFraction, testFile,
            seed, threads, precision, timeBudget, output, plots, noPlots, quiet, json, checkpoint, checkpointEvery, resume, stream, shuffleBuffer,
        };
        CliApp.SetAction(command, io, p =>
        {
            var read = Parsing.Csv(p, (noHeader, separator, format));
            var options = new TableOptions
            {
                Search = p.GetValue(search) is { } se ? Parsing.Choice("--search", se, Parsing.SearchModes) : d.Search,
                TargetTransform = p.GetValue(targetTransform) is { } tt ? Parsing.Choice("--target-transform", tt, Parsing.TargetTransforms) : d.TargetTransform,
                HiddenLayers = p.GetValue(hidden) is { } h ? Parsing.LayerSizes("--hidden", h) : d.HiddenLayers,
                Activation = p.GetValue(activation) is { } a ? Parsing.Choice("--activation", a, Parsing.Activations) : d.Activation,
                Loss = p.GetValue(loss) is { } lo ? Parsing.Choice("--loss", lo, Parsing.Losses) : d.Loss,
                HuberDelta = p.GetValue(huberDelta) ?? d.HuberDelta,
                Optimizer = p.GetValue(optimizer) is { } op ? Parsing.Choice("--optimizer", op, Parsing.Optimizers) : d.Optimizer,
                LearningRate = p.GetValue(learningRate) ?? d.LearningRate,
                Schedule = p.GetValue(schedule) is { } sc ? Parsing.Choice("--schedule", sc, Parsing.Schedules) : d.Schedule,
                BatchSize = p.GetValue(batchSize) ?? d.BatchSize,
                Epochs = p.GetValue(epochs) ?? d.Epochs,
                L2 = p.GetValue(l2) ?? d.L2,
                ClipNorm = p.GetValue(clipNorm) ?? d.ClipNorm,
                ValidationFraction = p.GetValue(validationFraction) ?? d.ValidationFraction,
                Patience = p.GetValue(patience) ?? d.Patience,
                EarlyStopping = !p.GetValue(noEarlyStopping),
                Seed = p.GetValue(seed) ?? d.Seed,
                Threads = p.GetValue(threads) ?? d.Threads,
                Precision = p.GetValue(precision) is { } pr ? Parsing.Choice("--precision", pr, Parsing.Precisions) : d.Precision,
                TimeBudget = p.GetValue(timeBudget) is { } tb ? Parsing.Duration("--time-budget", tb) : d.TimeBudget,
                Targets = Parsing.Names(p.GetValue(target)),
                Ignore = Parsing.Names(p.GetValue(ignore)),
                Missing = p.GetValue(missing) is { } m ? Parsing.Choice("--missing", m, Parsing.MissingPolicies) : d.Missing,
                MissingTokens = Parsing.Names(p.GetValue(na)),
                DecimalSeparator = p.GetValue(decimalSeparator) is { } ds ? Parsing.Decimal(ds) : null,
                TextColumns = Parsing.Names(p.GetValue(text)),
                KeepColumns = Parsing.Names(p.GetValue(keep)),
                HasHeader = read.HasHeader,
                Separator = read.Separator,
                Format = read.Format,
                TestFraction = p.GetValue(testFraction),
                TestFile = p.GetValue(testFile),
                Checkpoint = p.GetValue(checkpoint),
                CheckpointEvery = p.GetValue(checkpointEvery) ?? d.CheckpointEvery,
                Resume = p.GetValue(resume),
                Stream = p.GetValue(stream),
                ShuffleBuffer = p.GetValue(shuffleBuffer) ?? d.ShuffleBuffer,
            };
            // The search chooses these; given with it, even at their defaults, they would be ignored.
            // A value out of range is the first thing to say, so the options are checked first.
            options.Validate();
            foreach (var (option, given) in new[] { ("--hidden", p.GetValue(hidden) is not null), ("--activation", p.GetValue(activation) is not null), ("--learning-rate", p.GetValue(learningRate) is not null), ("--l2", p.GetValue(l2) is not null) })
            {
                if (given && options.Searches)
                    throw new CliException($"{option} is chosen by the search; to train one network with it, turn the search off (--search none).");
            }
            if (p.GetValue(noEarlyStopping) && (p.GetValue(validationFraction) is not null || p.GetValue(patience) is not null))
                io.Warn("--validation-fraction and --patience have no effect with --no-early-stopping.");
            var outputs = new Outputs(p.GetValue(output), p.GetValue(noPlots) ? null : p.GetValue(plots) ?? "", p.GetValue(quiet) || p.GetValue(json), p.GetValue(json));
            return Run(io, p.GetValue(data)!, options, outputs);
        });
        return command;
    }

    /// <param name="Model">The model file, or null for the default name.</param>
    /// <param name="Plots">Null: no plots; empty: the default folder.</param>
    /// <param name="Quiet">Print nothing but the metrics and where the files went.</param>
    /// <param name="Json">Print one JSON document instead of the metrics and the final line.</param>
    private sealed record Outputs(string? Model, string? Plots, bool Quiet, bool Json);

    private static int Run(Io io, string data, TableOptions options, Outputs outputs)
    {
        options.Validate();

        // Every output path is checked before any work, so a typo or a read-only folder costs
        // nothing and destroys nothing.
        string modelPath = outputs.Model ?? Path.GetFileNameWithoutExtension(data) + ".model.json";
        if (OutputPaths.Same(modelPath, data) || (options.TestFile is not null && OutputPaths.Same(modelPath, options.TestFile)))
            throw new CliException($"--out: '{modelPath}' is an input file; write the model to another file.");
        OutputPaths.CheckWritableFile(modelPath, "--out", " such as model.json");
        if (options.Checkpoint is { } checkpoint)
        {
            if (OutputPaths.Same(checkpoint, modelPath) || OutputPaths.Same(checkpoint, data))
                throw new CliException($"--checkpoint: '{checkpoint}' is the model or data file; give the checkpoint its own file.");
            OutputPaths.CheckWritableFile(checkpoint, "--checkpoint");
        }
        string? plotDir = outputs.Plots is null ? null : outputs.Plots.Length > 0 ? outputs.Plots : DefaultPlotFolder(modelPath);
        if (plotDir is not null)
        {
            if (File.Exists(plotDir))
                throw new CliException($"--plots: '{plotDir}' is a file; give a folder.");
            OutputPaths.CheckWritableFolder(plotDir, "--plots");
        }

        var model = Rendering.Fitting(io, options.Epochs, outputs.Quiet, progress => TableModel.Fit(data, options, progress, io.Cancel));
        var report = model.Report;
        var result = report.Result;
        var info = outputs.Quiet ? TextWriter.Null : io.Out;
        if (report.Data.Streamed)
            info.WriteLine($"Trained on {report.Data.TrainRows} rows per epoch.");
        if (report.Diverged)
        {
            string hint = (result.Hint ?? "the loss became NaN or infinite; lower the learning rate or set a gradient clipping norm").TrimEnd('.');
            io.Err.WriteLine($"error: training diverged: {hint} (options --learning-rate, --clip-norm). No model was written.");
            return ExitCodes.BadInput;
        }
        if (!report.HasTrainedModel)
        {
            // Interrupted before the first epoch: the weights are the initial guess, worth nothing,
            // and must not replace a model the user already has.
            if (outputs.Json)
                JsonReport.Write(io, JsonReport.Train(model, null, [], null));
            io.Err.WriteLine($"Interrupted {(report.Search is null ? "before the first epoch completed" : "during the search, before its networks were all trained")}; nothing was written{(File.Exists(modelPath) ? $" ({modelPath} is unchanged)" : "")}.");
            return ExitCodes.Interrupted;
        }

        if (report.Search is { } search)
        {
            Rendering.Leaderboard(io, info, search);
            if (!outputs.Json)
                Rendering.Metrics(io, model.TargetNames, report.Scores);
            if (!outputs.Json)
                io.Out.WriteLine(Rendering.FoldSpread(search));
            if (!outputs.Json && model.Importance is { } importance)
                Rendering.Importance(io, importance);
        }
        else
        {
            if (!outputs.Json)
                Rendering.Metrics(io, model.TargetNames, report.Scores);
            if (!report.Interrupted)
            {
                info.WriteLine(Rendering.StopSummary(result, options.TimeBudget));
                if (result.Hint is not null)
                    info.WriteLine("Hint: " + result.Hint);
            }
        }

        OutputPaths.Write(modelPath, "--out", () => model.Save(modelPath));

        if (report.Scores.Count == 0)
            plotDir = null;
        var plotFiles = new List<string>();
        if (plotDir is not null)
        {
            var shown = report.Scores[^1];
            // The out-of-fold part keeps its predictions: no one network made them all.
            var predicted = shown.Predictions ?? model.Predict(shown.Rows.Inputs, shown.Rows.Rows);
            OutputPaths.Write(plotDir, "--plots", () =>
            {
                plotFiles.AddRange(Plots.Write(plotDir, model.Members[0].History.Epochs, model.Members.Count, predicted, model.TargetNames, shown.Name, shown.Rows));
                if (model.Importance is { } importance)
                    plotFiles.Add(ImportancePlot.Write(plotDir, importance));
            });
        }

        if (outputs.Json)
            JsonReport.Write(io, JsonReport.Train(model, modelPath, plotFiles, options.Checkpoint));
        else
            io.Out.WriteLine(plotDir is null
                ? $"Model written to {modelPath}."
                : $"Model written to {modelPath}; plots in {plotDir}{Path.DirectorySeparatorChar} ({string.Join(", ", plotFiles.Select(Path.GetFileName))}).");
        if (!report.Interrupted)
            return ExitCodes.Ok;
        io.Err.WriteLine($"Interrupted after {Rendering.Noun(result.EpochsRun, "epoch")}; saved the best model so far (epoch {result.BestEpoch}) to {modelPath}.");
        return ExitCodes.Interrupted;
    }

    private static string DefaultPlotFolder(string modelPath)
    {
        string name = Path.GetFileName(modelPath);
        string stem = name.EndsWith(".model.json", StringComparison.OrdinalIgnoreCase) ? name[..^".model.json".Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(modelPath) ?? "", stem + ".plots");
    }
}
