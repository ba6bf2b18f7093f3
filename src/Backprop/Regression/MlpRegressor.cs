using Backprop.Inference;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Preprocessing;
using Backprop.Training;

namespace Backprop.Regression;

/// <summary>
/// A multilayer-perceptron regressor with good defaults: standardizes inputs and targets, holds out
/// 10% of the rows for early stopping, trains a 64x64 tanh network with Adam, and predicts in the
/// target's own units. Fit, Predict, Score; Save and Load come with
/// <c>using Backprop.Serialization;</c>, ExportOnnx with <c>using Backprop.Onnx;</c>.
/// </summary>
/// <example>
/// <code>
/// var model = new MlpRegressor();
/// model.Fit(inputs, targets);             // double[][], double[]
/// double[] predictions = model.Predict(inputs);
/// Console.WriteLine(model.Score(inputs, targets).R2);
/// </code>
/// </example>
/// <remarks>
/// Fitting is not thread-safe; once fitted, Predict and Score may be called from many threads at
/// once. The same options, seed and data give bit-identical weights on a given machine, whatever
/// the thread count. Predictions run on a copy of the weights laid out for forward passes, made
/// on the first call after each fit or load; the span overloads
/// (<see cref="Predict(ReadOnlySpan{double}, Span{double})"/>, <see cref="PredictBatch(ReadOnlySpan{double}, Span{double})"/>)
/// allocate nothing per call.
/// </remarks>
public sealed class MlpRegressor
{
    private IRegressorCore? _core;

    // The fitted network laid out for prediction (one member), made on first use; null after any
    // change to the weights. While a fit runs it is never kept, as the weights change every step.
    private PackedModel[]? _packed;
    private volatile bool _fitting;

    /// <summary>Creates an unfitted regressor; the options are validated here.</summary>
    public MlpRegressor(RegressorOptions? options = null)
    {
        Options = options ?? new RegressorOptions();
        Options.Validate();
    }

    /// <summary>The options this regressor was made with.</summary>
    public RegressorOptions Options { get; }

    /// <summary>Whether Fit has run (or a fitted model was loaded).</summary>
    public bool IsFitted => _core is not null;

    /// <summary>Input columns the model takes.</summary>
    public int FeatureCount { get; private set; }

    /// <summary>Targets the model predicts.</summary>
    public int TargetCount { get; private set; }

    /// <summary>The input scaling fitted on the training rows, or null when <see cref="RegressorOptions.ScaleInputs"/> is off.</summary>
    public Standardizer? InputScaler { get; private set; }

    /// <summary>The target scaling fitted on the training rows, or null when <see cref="RegressorOptions.ScaleTargets"/> is off.</summary>
    public Standardizer? TargetScaler { get; private set; }

    /// <summary>The per-epoch record of every fit so far (losses in scaled units).</summary>
    public History History => Core.History;

    /// <summary>The outcome of the last fit, or null.</summary>
    public TrainingResult? LastResult { get; private set; }

    /// <summary>The layers, first hidden to output.</summary>
    public IReadOnlyList<DenseLayer> Layers => Core.Layers;

    /// <summary>Number of weights and biases.</summary>
    public int ParameterCount => Core.ParameterCount;

    private IRegressorCore Core => _core ?? throw new InvalidOperationException("The model is not fitted yet: call Fit first (or Load a saved model).");

    /// <summary>Fits one target per row.</summary>
    public TrainingResult Fit(double[][] inputs, double[] targets, double[]? sampleWeights = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
        => Fit(DataSet.FromRows(inputs, targets, sampleWeights), null, progress, cancellationToken);

    /// <summary>Fits several targets per row.</summary>
    public TrainingResult Fit(double[][] inputs, double[][] targets, double[]? sampleWeights = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
        => Fit(DataSet.FromRows(inputs, targets, sampleWeights), null, progress, cancellationToken);

    /// <summary>
    /// Fits the model. Without <paramref name="validation"/>, early stopping holds out
    /// <see cref="TrainingOptions.ValidationFraction"/> of the rows at random (when there are at
    /// least 20 rows; smaller data trains on everything for the full number of epochs).
    /// </summary>
    /// <returns>Why training stopped, whether it converged and, if not, what to change.</returns>
    /// <exception cref="ArgumentException">Empty data, shapes that disagree, NaN or infinite values.</exception>
    public TrainingResult Fit(DataSet train, DataSet? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        train.Validate("training");
        if (validation is not null)
        {
            validation.Validate("validation");
            if (validation.Features != train.Features || validation.Outputs != train.Outputs)
                throw new ArgumentException($"The validation data has {validation.Features} features and {validation.Outputs} targets; the training data has {train.Features} and {train.Outputs}.", nameof(validation));
        }
        bool continuing = Options.WarmStart && _core is not null;
        if (continuing && (train.Features != FeatureCount || train.Outputs != TargetCount))
            throw new ArgumentException($"Warm start needs the same shape as before: {FeatureCount} features and {TargetCount} targets, got {train.Features} and {train.Outputs}.", nameof(train));

        if (validation is null && Options.EarlyStopping && Options.ValidationFraction > 0)
            (train, validation) = train.HoldOut(Options.ValidationFraction, Options.Seed);

        if (!continuing)
        {
            FeatureCount = train.Features;
            TargetCount = train.Outputs;
            InputScaler = Options.ScaleInputs ? Standardizer.Fit(train.Inputs, train.Features, train.Weights) : null;
            TargetScaler = Options.ScaleTargets ? Standardizer.Fit(train.Targets, train.Outputs, train.Weights) : null;
            _core = Options.Precision == Precision.Double
                ? new RegressorCore<double>(FeatureCount, TargetCount, Options, initialize: true)
                : new RegressorCore<float>(FeatureCount, TargetCount, Options, initialize: true);
        }
        var result = Changing(() => Core.Fit(Scale(train), validation is null ? null : Scale(validation), progress, cancellationToken));
        LastResult = result;
        return result;
    }

    /// <summary>
    /// Fits on data too large for memory: <paramref name="epochChunks"/> is called once per epoch and
    /// yields that epoch's rows a chunk at a time (each chunk is shuffled and stepped through in turn).
    /// The scalers cannot be fitted from a stream, so pass them (e.g. from a first streaming pass).
    /// </summary>
    /// <param name="epochChunks">Yields one epoch's chunks, all with the same numbers of features and targets.</param>
    /// <param name="features">Features per row.</param>
    /// <param name="outputs">Targets per row.</param>
    /// <param name="inputScaler">Required when <see cref="RegressorOptions.ScaleInputs"/> is on.</param>
    /// <param name="targetScaler">Required when <see cref="RegressorOptions.ScaleTargets"/> is on.</param>
    /// <param name="validation">In-memory validation rows for early stopping, or null.</param>
    /// <param name="progress">Receives each epoch's record.</param>
    /// <param name="cancellationToken">Stops between steps; the best weights so far are kept.</param>
    public TrainingResult FitStream(Func<IEnumerable<DataSet>> epochChunks, int features, int outputs, Standardizer? inputScaler, Standardizer? targetScaler, DataSet? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(epochChunks);
        if (Options.ScaleInputs && inputScaler is null)
            throw new ArgumentException("ScaleInputs is on, so streaming needs the input scaler (fit it in a first pass over the data).", nameof(inputScaler));
        if (Options.ScaleTargets && targetScaler is null)
            throw new ArgumentException("ScaleTargets is on, so streaming needs the target scaler (fit it in a first pass over the data).", nameof(targetScaler));
        if (validation is not null)
            validation.Validate("validation");
        FeatureCount = features;
        TargetCount = outputs;
        InputScaler = Options.ScaleInputs ? inputScaler : null;
        TargetScaler = Options.ScaleTargets ? targetScaler : null;
        _core = Options.Precision == Precision.Double
            ? new RegressorCore<double>(features, outputs, Options, initialize: true)
            : new RegressorCore<float>(features, outputs, Options, initialize: true);
        var core = _core;
        var result = Changing(() => core.FitStream(() => epochChunks().Select(c => { c.Validate("training"); return Scale(c); }), validation is null ? null : Scale(validation), progress, cancellationToken));
        LastResult = result;
        return result;
    }

    /// <summary>
    /// Captures the training state at an epoch boundary, for a checkpoint: call it from the
    /// progress callback of <see cref="Fit(DataSet, DataSet?, IProgress{EpochRecord}?, CancellationToken)"/>.
    /// Together with the model file it is everything <see cref="Resume"/> needs.
    /// </summary>
    public TrainerState CaptureTrainingState() => Core.CaptureState();

    /// <summary>
    /// Continues a run from a checkpoint: this model must be the checkpoint's model (weights and
    /// scalers as saved) and <paramref name="train"/> and <paramref name="validation"/> the same
    /// rows as before. The result equals, bit for bit, a run that was never interrupted.
    /// </summary>
    /// <exception cref="ArgumentException">The state or data does not fit this model.</exception>
    public TrainingResult Resume(TrainerState state, DataSet train, DataSet? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(train);
        var core = Core;
        train.Validate("training");
        if (train.Features != FeatureCount || train.Outputs != TargetCount)
            throw new ArgumentException($"The model takes {FeatureCount} features and {TargetCount} targets; the data has {train.Features} and {train.Outputs}.", nameof(train));
        if (validation is not null)
            validation.Validate("validation");
        var result = Changing(() =>
        {
            core.RestoreState(state);
            return core.Fit(Scale(train), validation is null ? null : Scale(validation), progress, cancellationToken, continueRun: true);
        });
        LastResult = result;
        return result;
    }

    /// <summary>Predicts the first (or only) target of each row, in the target's units. Thread-safe; see <see cref="Predict(ReadOnlySpan{double}, int)"/>.</summary>
    public double[] Predict(double[][] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
            return [];
        var all = Predict(DataSet.Flatten(inputs, nameof(inputs)), inputs.Length);
        var first = new double[inputs.Length];
        for (int i = 0; i < first.Length; i++)
            first[i] = all[i * TargetCount];
        return first;
    }

    /// <summary>Predicts the first (or only) target of one row. Thread-safe; see <see cref="Predict(ReadOnlySpan{double}, int)"/>.</summary>
    public double Predict(double[] row) => PredictAll([row])[0][0];

    /// <summary>Predicts every target of each row, in the targets' units. Thread-safe; see <see cref="Predict(ReadOnlySpan{double}, int)"/>.</summary>
    public double[][] PredictAll(double[][] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
            return [];
        var flat = Predict(DataSet.Flatten(inputs, nameof(inputs)), inputs.Length);
        var rows = new double[inputs.Length][];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = flat.AsSpan(i * TargetCount, TargetCount).ToArray();
        return rows;
    }

    /// <summary>Predicts for <paramref name="rows"/> row-major rows; returns [rows, TargetCount] in the targets' units.</summary>
    /// <remarks>
    /// Thread-safe on a fitted model: any number of threads may call this (and the other Predict
    /// overloads, <see cref="PredictAll"/> and Score) on one instance at once. Each call only reads the
    /// weights and scalers and uses its own buffers, and the result is bit-identical to a call
    /// made alone. Do not call Fit, or change the model in any other way, while predictions run.
    /// </remarks>
    /// <exception cref="ArgumentException">Wrong number of features, NaN or infinite inputs.</exception>
    public double[] Predict(ReadOnlySpan<double> inputs, int rows)
    {
        var packed = Packed;
        if (rows < 0 || inputs.Length != (long)rows * FeatureCount)
            throw new ArgumentException($"The model takes {FeatureCount} features per row; got {inputs.Length} values for {rows} rows.", nameof(inputs));
        var y = new double[rows * TargetCount];
        SpanPrediction.Run(packed, inputs, y, oneRow: false);
        return y;
    }

    /// <summary>
    /// Predicts every target of one row into <paramref name="output"/>, in the targets' units,
    /// allocating nothing: the same values as the other overloads, bit for bit. Thread-safe; see
    /// <see cref="Predict(ReadOnlySpan{double}, int)"/>.
    /// </summary>
    /// <param name="row">The row's <see cref="FeatureCount"/> features.</param>
    /// <param name="output">At least <see cref="TargetCount"/> values; the first <see cref="TargetCount"/> are written.</param>
    /// <exception cref="ArgumentException">The row is not <see cref="FeatureCount"/> long, the output is too short, or an input is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public void Predict(ReadOnlySpan<double> row, Span<double> output) => SpanPrediction.Run(Packed, row, output, oneRow: true);

    /// <summary>As <see cref="Predict(ReadOnlySpan{double}, Span{double})"/>, for features held as floats (each widened to double, exactly, before scaling).</summary>
    public void Predict(ReadOnlySpan<float> row, Span<double> output) => SpanPrediction.Run(Packed, row, output, oneRow: true);

    /// <summary>
    /// Predicts every target of a batch of rows into <paramref name="outputs"/>, in the targets'
    /// units, allocating nothing; a large batch uses two cores. The same values as the other
    /// overloads, bit for bit, whatever the batch. Thread-safe; see <see cref="Predict(ReadOnlySpan{double}, int)"/>.
    /// </summary>
    /// <param name="inputs">[rows, FeatureCount], row-major: its length is a multiple of <see cref="FeatureCount"/>.</param>
    /// <param name="outputs">[rows, TargetCount], row-major: at least that long; the first rows x TargetCount values are written.</param>
    /// <exception cref="ArgumentException">The lengths do not fit the model's shape, or an input is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs) => SpanPrediction.Run(Packed, inputs, outputs, oneRow: false);

    // As PredictBatch, on at most the given threads (a caller already busy on the other core asks for one).
    internal void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int threads) => SpanPrediction.Run(Packed, inputs, outputs, oneRow: false, threads);

    /// <summary>As <see cref="PredictBatch(ReadOnlySpan{double}, Span{double})"/>, for features held as floats (each widened to double, exactly, before scaling).</summary>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<double> outputs) => SpanPrediction.Run(Packed, inputs, outputs, oneRow: false);

    // The network laid out for prediction, made once per fit or load (two threads racing here lay
    // out the same copy; either may be kept).
    internal PackedModel[] Packed
    {
        get
        {
            var core = Core;
            if (_packed is { } packed)
                return packed;
            packed = [core.Pack(InputScaler, TargetScaler)];
            if (!_fitting)
                _packed = packed;
            return packed;
        }
    }

    // Runs a change to the weights: the laid-out copy is dropped before and after, and none is
    // kept while it runs (a progress callback may predict mid-fit).
    private TrainingResult Changing(Func<TrainingResult> change)
    {
        _packed = null;
        _fitting = true;
        try
        {
            return change();
        }
        finally
        {
            _fitting = false;
            _packed = null;
        }
    }

    /// <summary>R^2, RMSE and MAE of the model's predictions on labelled rows.</summary>
    public RegressionScores Score(double[][] inputs, double[] targets, double[]? sampleWeights = null) => Score(DataSet.FromRows(inputs, targets, sampleWeights));

    /// <summary>R^2, RMSE and MAE of the model's predictions on labelled rows.</summary>
    public RegressionScores Score(DataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var predictions = Predict(data.Inputs, data.Rows);
        return RegressionScores.Compute(predictions, data.Targets, data.Outputs, data.Weights);
    }

    /// <summary>A double-precision copy of the network (for explanations and gradient checks).</summary>
    public Network<double> ToNetwork() => Core.ToDoubleNetwork();

    /// <summary>The weights and biases as doubles, layer by layer (W then b).</summary>
    public double[] GetParameters() => Core.GetParameters();

    internal void Restore(int features, int targets, Standardizer? inputScaler, Standardizer? targetScaler, ReadOnlySpan<double> parameters, IEnumerable<EpochRecord> history)
    {
        FeatureCount = features;
        TargetCount = targets;
        InputScaler = inputScaler;
        TargetScaler = targetScaler;
        if (Options.Precision == Precision.Double)
        {
            var core = new RegressorCore<double>(features, targets, Options, initialize: false);
            core.RestoreHistory(history);
            _core = core;
        }
        else
        {
            var core = new RegressorCore<float>(features, targets, Options, initialize: false);
            core.RestoreHistory(history);
            _core = core;
        }
        _core.SetParameters(parameters);
        _packed = null;
    }

    private DataSet Scale(DataSet data)
    {
        var x = (double[])data.Inputs.Clone();
        var y = (double[])data.Targets.Clone();
        for (int i = 0; i < data.Rows; i++)
        {
            InputScaler?.Transform(x.AsSpan(i * data.Features, data.Features));
            TargetScaler?.Transform(y.AsSpan(i * data.Outputs, data.Outputs));
        }
        return data with { Inputs = x, Targets = y };
    }
}
