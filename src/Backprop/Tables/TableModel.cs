using System.Security.Cryptography;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Losses;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Intervals;
using Backprop.Tables.Search;

namespace Backprop.Tables;

/// <summary>
/// A regressor for a table: the column encoding and the network in one, fitted from a CSV or Parquet file,
/// saved as one model file, and used on new files or single rows. This is what
/// <c>backprop train</c>, <c>predict</c> and <c>evaluate</c> do, as a library.
/// </summary>
/// <example>
/// <code>
/// var model = TableModel.Fit("houses.csv", new TableOptions { Targets = ["price"], Ignore = ["id"] });
/// Console.WriteLine(model.Report.Scores[^1].Scores.R2);
/// model.Save("houses.model.json");
/// TableModel.Load("houses.model.json").PredictFile("new.csv", "scored.csv");
/// </code>
/// </example>
/// <remarks>Once fitted or loaded, predictions may run on many threads at once.</remarks>
public sealed class TableModel
{
    private readonly ModelDocument? _loaded;
    private readonly TableReport? _report;
    private readonly Ensemble _ensemble;
    private PredictionIntervals? _intervals;
    private ImportanceDocument? _importance;

    internal TableModel(Ensemble ensemble, TableEncoder encoder, DataFingerprint? trainedOn, TableReport? report, ModelDocument? loaded = null, CrossValidation? crossValidation = null)
    {
        _ensemble = ensemble;
        Encoder = encoder;
        TrainedOn = trainedOn;
        _report = report;
        _loaded = loaded;
        CrossValidation = crossValidation;
        if (loaded?.Intervals is { } intervals)
            _intervals = PredictionIntervals.FromDocument(intervals);
        _importance = loaded?.Importance;
    }

    /// <summary>
    /// How much each original column matters: the rise in error when its values are shuffled among
    /// the out-of-fold rows (all of its inputs together), most important first. Null for a model
    /// that did not come from the cross-validated search.
    /// </summary>
    public ImportanceDocument? Importance => _importance;

    /// <summary>Whether <see cref="PredictInterval"/> can be used: the model came from the cross-validated search, which keeps its out-of-fold residuals.</summary>
    public bool HasIntervals => _intervals is not null;

    /// <summary>
    /// CV+ prediction intervals for encoded rows: each fold network's prediction widened by the
    /// out-of-fold residuals of the rows it did not train on (docs/defaults.md says what coverage
    /// this gives). In the targets' units; [rows, targets] each.
    /// </summary>
    /// <param name="inputs">[rows, features], as <see cref="Encoder"/> makes them.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="coverage">From 0.5 up to but not including 1, such as 0.9.</param>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is outside [0.5, 1).</exception>
    /// <exception cref="InvalidOperationException">The model has no intervals (<see cref="HasIntervals"/>).</exception>
    public (double[] Lower, double[] Upper) PredictInterval(ReadOnlySpan<double> inputs, int rows, double coverage)
    {
        IntervalCoverage.Check(coverage, nameof(coverage));
        if (_intervals is null)
            throw new InvalidOperationException("This model has no prediction intervals: they come from the cross-validated search (train without --search none, and without --stream, --checkpoint or --resume).");
        return PredictRows(inputs, rows, new double[rows * TargetNames.Count], coverage);
    }

    // The predictions into outputs and the interval around them, from one pass of every member
    // (the interval needs each member's own prediction, the mean is made from the same ones).
    internal (double[] Lower, double[] Upper) PredictRows(ReadOnlySpan<double> inputs, int rows, Span<double> outputs, double coverage) =>
        _intervals!.Bounds(_ensemble.PredictMembers(inputs, rows, outputs), coverage);

    // Keeps what the search measured on its out-of-fold rows, once, before the model is handed out.
    internal void KeepOutOfFoldAnalysis(PredictionIntervals intervals, ImportanceDocument importance)
    {
        _intervals = intervals;
        _importance = importance;
    }

    /// <summary>
    /// The networks whose predictions the model averages: the K fold networks of the search, or the
    /// one network of <see cref="SearchMode.None"/>. Each takes the encoded inputs and predicts in
    /// the transformed target's units (see <see cref="TargetTransform"/>); the model's own
    /// <see cref="Predict(ReadOnlySpan{double}, int)"/> undoes the transform and averages.
    /// </summary>
    public IReadOnlyList<MlpRegressor> Members => _ensemble.Members;

    /// <summary>The transform the networks' targets were trained under, None or Log; predictions are always in the targets' own units.</summary>
    public TargetTransform TargetTransform => _ensemble.Transform;

    /// <summary>The model's one network, which predicts in the targets' units.</summary>
    /// <exception cref="InvalidOperationException">The model is an ensemble, or its network predicts a transformed target: use <see cref="Members"/>, or the model's own Predict and Score.</exception>
    public MlpRegressor Regressor => Members.Count == 1 && TargetTransform == TargetTransform.None
        ? Members[0]
        : throw new InvalidOperationException(Members.Count > 1
            ? $"This model averages {Members.Count} networks, so it has no single Regressor: use Members for the networks, or the model's own Predict and Score for its predictions."
            : "This model's network predicts the log of the target, so its Regressor would not predict in the target's units: use Members[0] for the network, or the model's own Predict and Score.");
    /// <summary>The column encoding: which columns are read and how they become inputs.</summary>
    public TableEncoder Encoder { get; }

    /// <summary>The names of the encoded inputs, in the network's order.</summary>
    public IReadOnlyList<string> FeatureNames => Encoder.FeatureNames;

    /// <summary>The target columns, in the network's output order.</summary>
    public IReadOnlyList<string> TargetNames => Encoder.TargetNames;

    /// <summary>The file the model was trained on (name, rows used for fitting, SHA-256), when known.</summary>
    public DataFingerprint? TrainedOn { get; }

    /// <summary>What the fit found and did.</summary>
    /// <exception cref="InvalidOperationException">The model was read with <see cref="Load"/>: a model file keeps the training record, not the report.</exception>
    public TableReport Report => _report ?? throw new InvalidOperationException("This model was loaded from a file, which keeps the training history but not the fit's report; the report exists only on the model TableModel.Fit returns.");

    /// <summary>Whether this model was fitted here (and so has a <see cref="Report"/>) rather than loaded.</summary>
    public bool HasReport => _report is not null;

    /// <summary>The loss the networks were trained with.</summary>
    public LossFunction Loss => new(_ensemble.First.Options.Loss, _ensemble.First.Options.HuberDelta);

    /// <summary>The chosen candidate's folds, for what is computed from out-of-fold rows; null unless this model was fitted here by the search.</summary>
    internal CrossValidation? CrossValidation { get; }

    /// <summary>
    /// Reads <paramref name="path"/>, types and encodes its columns, sets any test rows aside, and by
    /// default searches a fixed space of networks by K-fold cross-validation, each fold network
    /// stopping early on its own held-out fold, and keeps the best candidate's fold networks as an
    /// averaged ensemble, scored out of fold (<see cref="TableOptions.Search"/>). With
    /// <see cref="SearchMode.None"/> it fits one network with early stopping and scores every part.
    /// With <see cref="TableOptions.Stream"/> the file is never loaded: the encoding is fitted in two
    /// passes and each epoch of one network reads it in chunks.
    /// </summary>
    /// <param name="path">A CSV or TSV file, or a Parquet file (by its extension or <see cref="TableOptions.Format"/>).</param>
    /// <param name="options">The columns, the network, the run; validated first.</param>
    /// <param name="progress">Receives warnings, the data summary and each epoch (one network, on the training thread) or each network trained (the search, one report at a time from its threads).</param>
    /// <param name="cancellationToken">Stops between steps; the best model so far is kept.</param>
    /// <returns>The fitted model, with its <see cref="Report"/>. Check <see cref="TableReport.Diverged"/> before saving.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A network option is out of range.</exception>
    /// <exception cref="TableOptionsException">The options do not go together, or a checkpoint to resume does not fit them.</exception>
    /// <exception cref="Data.DataFormatException">The file cannot be used; the message says where and why.</exception>
    public static TableModel Fit(string path, TableOptions options, IProgress<TableProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Stream
            ? StreamedFit.Run(path, options, progress, cancellationToken)
            : LoadedFit.Run(path, options, progress, cancellationToken);
    }

    /// <summary>Reads a model file written by <see cref="Save"/> or <c>backprop train</c>, checking that its encoding and network agree.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFormatException">Not a valid table model file; the message names the file and says why.</exception>
    public static TableModel Load(string path) => TableModelFile.Read(path);

    /// <summary>The model as a model-file document (encoding, network, training record).</summary>
    public ModelDocument ToDocument() => _loaded ?? Describe(_ensemble, Encoder, TrainedOn) with
    {
        Report = _report?.ToDocument(),
        Intervals = _intervals?.ToDocument([.. TargetNames]),
        Importance = _importance,
    };

    /// <summary>
    /// Writes the model to <paramref name="path"/>, atomically, in the model file format
    /// (docs/model-format.md), with the fit's data summary and scores.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidOperationException">The fit was interrupted before its first epoch, so there is no trained model (<see cref="TableReport.HasTrainedModel"/>).</exception>
    public void Save(string path)
    {
        if (_report is { Diverged: false, HasTrainedModel: false })
            throw new InvalidOperationException("The fit was interrupted before its first epoch completed: there is no trained model to save.");
        ModelFile.Write(ToDocument(), path);
    }

    /// <summary>
    /// This model with another policy for missing feature values, for one file whose gaps call for
    /// it: <see cref="MissingPolicy.Drop"/> leaves such rows out (empty predictions),
    /// <see cref="MissingPolicy.Impute"/> and <see cref="MissingPolicy.Mean"/> fill them with the
    /// model's fill values (the training median or mean; text: its missing category where it has
    /// one, else no category), <see cref="MissingPolicy.Error"/> stops at the first. The inputs stay
    /// the fitted ones and the network is shared, not copied; a saved copy keeps the fitted policy.
    /// </summary>
    public TableModel WithMissing(MissingPolicy policy)
    {
        if (policy == Encoder.Missing)
            return this;
        var copy = new TableModel(_ensemble, Encoder.WithMissing(policy), TrainedOn, _report, _loaded, CrossValidation);
        copy._intervals = _intervals;
        copy._importance = _importance;
        return copy;
    }

    /// <summary>
    /// Predicts every row of <paramref name="input"/> into <paramref name="output"/> (written
    /// atomically), streaming: the input rows, then one column <c>&lt;target&gt;_predicted</c> per target.
    /// An output ending in <c>.parquet</c> is a Parquet file (the input's columns, typed as in a
    /// Parquet input or as strings from a text one, and a nullable double per prediction).
    /// </summary>
    /// <param name="input">A CSV/TSV or Parquet file with the model's feature columns, in any order.</param>
    /// <param name="output">The file to write: CSV, or Parquet by its extension.</param>
    /// <param name="csv">How to read the input; by default a header row and a detected separator.</param>
    /// <param name="onlyPredictions">Write only the prediction columns.</param>
    /// <param name="interval">A coverage such as 0.9: also write <c>&lt;target&gt;_lower</c> and <c>&lt;target&gt;_upper</c> (see <see cref="PredictInterval"/>). CSV files only.</param>
    /// <exception cref="Data.DataFormatException">The input cannot be read or lacks a feature column.</exception>
    /// <exception cref="ArgumentException">An interval was asked for with a Parquet file, or from a model without intervals, or its coverage is outside [0.5, 1).</exception>
    public PredictionSummary PredictFile(string input, string output, CsvOptions? csv = null, bool onlyPredictions = false, double? interval = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        PredictionWriter.CheckInput(input);
        csv ??= CsvOptions.Default;
        CheckInterval(interval, Data.DataFiles.IsParquet(input, csv) || ParquetPredictionWriter.IsParquetOutput(output));
        PredictionSummary? summary = null;
        AtomicFile.Write(output, stream =>
        {
            if (ParquetPredictionWriter.IsParquetOutput(output))
            {
                summary = ParquetPredictionWriter.WriteParquet(this, input, csv, onlyPredictions, stream);
                return;
            }
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            summary = WriteText(input, csv, onlyPredictions, writer, interval);
        });
        return summary!;
    }

    /// <summary>As <see cref="PredictFile(string, string, CsvOptions?, bool, double?)"/>, writing to <paramref name="output"/>.</summary>
    public PredictionSummary PredictFile(string input, TextWriter output, CsvOptions? csv = null, bool onlyPredictions = false, double? interval = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        PredictionWriter.CheckInput(input);
        csv ??= CsvOptions.Default;
        CheckInterval(interval, Data.DataFiles.IsParquet(input, csv));
        return WriteText(input, csv, onlyPredictions, output, interval);
    }

    private PredictionSummary WriteText(string input, CsvOptions csv, bool onlyPredictions, TextWriter output, double? interval) =>
        Data.DataFiles.IsParquet(input, csv)
            ? ParquetPredictionWriter.WriteCsv(this, input, csv, onlyPredictions, output)
            : PredictionWriter.Write(this, input, csv, onlyPredictions, output, interval);

    private void CheckInterval(double? interval, bool parquet)
    {
        if (interval is not double coverage)
            return;
        IntervalCoverage.Check(coverage, nameof(interval));
        if (parquet)
            throw new ArgumentException("Prediction intervals are written to CSV files only; read and write CSV to get them.", nameof(interval));
        if (!HasIntervals)
            throw new ArgumentException("This model has no prediction intervals: they come from the cross-validated search (train without --search none, and without --stream, --checkpoint or --resume).", nameof(interval));
    }

    /// <summary>
    /// Predicts one row given as column name to field text (null or empty: missing, filled as the
    /// model's policy says), in the targets' units.
    /// </summary>
    /// <exception cref="Data.DataFormatException">A feature column is absent or a value cannot be read.</exception>
    /// <exception cref="ArgumentException">A value is missing and the model does not fill missing values (policy Error or Drop).</exception>
    public double[] Predict(IReadOnlyDictionary<string, string?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var names = row.Keys.ToArray();
        var fields = names.Select(n => row[n] ?? "").ToArray();
        var x = new double[Encoder.FeatureCount];
        if (!Encoder.CreateRowEncoder(names, "row").TryEncode(fields, 0, x, out string? missing))
            throw new ArgumentException($"The value of '{missing}' is missing and the missing-value policy is {Encoder.Missing}; give a value, or use WithMissing(MissingPolicy.Impute) to fill it.", nameof(row));
        return Predict(x, 1);
    }

    /// <summary>
    /// Predicts encoded rows (inputs in <see cref="FeatureNames"/> order, as <see cref="Encoder"/>
    /// makes them): the mean of every member's prediction, each in the targets' units. Every
    /// prediction of the model, from a file or a row, comes through here. Thread-safe.
    /// </summary>
    /// <returns>[rows, targets] in the targets' units.</returns>
    /// <exception cref="ArgumentException">Wrong number of inputs, NaN or infinite inputs.</exception>
    public double[] Predict(ReadOnlySpan<double> inputs, int rows) => _ensemble.Predict(inputs, rows);

    /// <summary>R^2, RMSE and MAE of <see cref="Predict(ReadOnlySpan{double}, int)"/> on encoded, labelled rows (targets in their own units).</summary>
    public RegressionScores Score(DataSet rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return _ensemble.Score(rows);
    }

    // outputs: [rows, targets] for encoded inputs: [rows, features], in the targets' units: where
    // every prediction of a row or file is made.
    internal void PredictRows(ReadOnlySpan<double> inputs, Span<double> outputs, int threads) => _ensemble.Predict(inputs, outputs, threads);

    /// <summary>R^2, RMSE and MAE on a labelled CSV or Parquet file, in the targets' units (rows with a missing target are left out and counted).</summary>
    /// <exception cref="Data.DataFormatException">The file cannot be used, or no row is left to score.</exception>
    public RegressionScores Evaluate(string labelledPath, CsvOptions? csv = null) => EvaluateFile(labelledPath, csv).Scores;

    /// <summary>
    /// As <see cref="Evaluate"/>, with the rows scored and what was left out. A row whose target is
    /// missing cannot be scored, so it is left out and counted whatever the model's policy; a missing
    /// feature value follows the policy (<see cref="WithMissing"/> to change it).
    /// </summary>
    public FileScores EvaluateFile(string labelledPath, CsvOptions? csv = null)
    {
        ArgumentNullException.ThrowIfNull(labelledPath);
        var table = DataTable.Load(labelledPath, csv ?? CsvOptions.Default);
        var (labelled, missingTarget) = WithTargets(table);
        var noneLeft = new Data.DataFormatException("no rows left to score after leaving out rows with missing values.", labelledPath);
        if (labelled is null)
            throw noneLeft;
        var rows = Encoder.Encode(labelled, requireTargets: true, out var left);
        if (rows.Rows == 0)
            throw noneLeft;
        var warnings = new List<string>();
        if (left.UnseenCategories.Count > 0)
            warnings.Add(TableWarnings.Unseen(left.UnseenCategories, "input"));
        if (missingTarget > 0)
            warnings.Add($"{missingTarget} row(s) with a missing target were left out.");
        if (left.DroppedRows > 0)
            warnings.Add($"{left.DroppedRows} row(s) with missing feature values were left out.");
        if (left.FilledCells.Count > 0)
            warnings.Add(TableWarnings.Filled(left.FilledCells, Encoder.Missing));
        return new FileScores(new ScoredRows(Path.GetFileName(labelledPath), rows, Score(rows)), missingTarget + left.DroppedRows, left.UnseenCategories, warnings)
        {
            MissingTargetRows = missingTarget,
        };
    }

    // The rows whose every target holds a value (null when none does), and how many did not. An
    // absent target column is left for the encoder to report.
    private (DataTable? Rows, int MissingTarget) WithTargets(DataTable table)
    {
        var columns = TargetNames.Select(table.IndexOf).ToArray();
        if (columns.Any(j => j < 0))
            return (table, 0);
        var keep = Enumerable.Range(0, table.RowCount).Where(i => columns.All(j => !Encoder.Numbers.IsMissing(table[i, j]))).ToArray();
        int missing = table.RowCount - keep.Length;
        return (missing == 0 ? table : keep.Length == 0 ? null : table.Select(keep), missing);
    }

    /// <summary>Targets in a member network's own units (transformed, then standardized), as its training saw them.</summary>
    /// <param name="targets">[rows, targets] in the targets' units.</param>
    /// <param name="member">Which of <see cref="Members"/>, from 0.</param>
    /// <exception cref="ArgumentException">A target is not positive and the transform is the log.</exception>
    public double[] ScaleTargets(double[] targets, int member = 0)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, Members.Count);
        var network = Members[member];
        var y = (double[])targets.Clone();
        if (TargetTransform == TargetTransform.Log && !TargetTransforms.AllPositive(y))
            throw new ArgumentException("The model was trained on the log of its targets, so every target must be positive.", nameof(targets));
        TargetTransforms.Apply(TargetTransform, y);
        if (network.TargetScaler is { } scaler)
        {
            for (int i = 0; i < y.Length; i += network.TargetCount)
                scaler.Transform(y.AsSpan(i, network.TargetCount));
        }
        return y;
    }

    internal static ModelDocument Describe(MlpRegressor regressor, TableEncoder encoder, DataFingerprint? trainedOn) =>
        Describe(new Ensemble([regressor], TargetTransform.None), encoder, trainedOn);

    internal static ModelDocument Describe(Ensemble ensemble, TableEncoder encoder, DataFingerprint? trainedOn) => ModelFile.ToDocument(ensemble.First) with
    {
        FeatureNames = encoder.FeatureNames.ToArray(),
        TargetNames = encoder.TargetNames.ToArray(),
        Data = trainedOn,
        Table = encoder.State,
        TargetTransform = SearchReport.TransformName(ensemble.Transform),
        Members = ensemble.Members.Count == 1 ? null : ensemble.Members.Skip(1).Select(ModelFile.ToMember).ToArray(),
    };

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
