using Backprop.Activations;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Serialization;

/// <summary>
/// The model file's content, as documented in docs/model-format.md. Plain data: loading it runs
/// no code, and <see cref="ModelFile"/> validates it before anything is built from it.
/// </summary>
public sealed record ModelDocument
{
    /// <summary>Always "backprop-model".</summary>
    public string Format { get; init; } = ModelFile.FormatName;

    /// <summary>The format version; this library reads <see cref="ModelFile.CurrentVersion"/>.</summary>
    public int Version { get; init; } = ModelFile.CurrentVersion;

    /// <summary>When the file was written (UTC). The only field that differs between identical trainings.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The library version that wrote the file.</summary>
    public string? Writer { get; init; }

    /// <summary>"single" or "double": the arithmetic the weights were trained in.</summary>
    public Precision Precision { get; init; }

    /// <summary>Number of network inputs (after any encoding).</summary>
    public int Inputs { get; init; }

    /// <summary>The dense layers, first hidden to output.</summary>
    public IReadOnlyList<LayerDocument> Layers { get; init; } = [];

    /// <summary>Standardization of the network inputs, or null.</summary>
    public ScalerDocument? InputScaler { get; init; }

    /// <summary>Standardization of the targets, or null; predictions are mapped back through it.</summary>
    public ScalerDocument? TargetScaler { get; init; }

    /// <summary>Names of the network inputs.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Names of the targets.</summary>
    public IReadOnlyList<string>? TargetNames { get; init; }

    /// <summary>The options the model was trained with.</summary>
    public RegressorOptions? Options { get; init; }

    /// <summary>Every epoch's record.</summary>
    public IReadOnlyList<EpochRecord>? History { get; init; }

    /// <summary>How the last training run ended.</summary>
    public TrainingResult? Result { get; init; }

    /// <summary>What the model was trained on.</summary>
    public DataFingerprint? Data { get; init; }

    /// <summary>Encoding of raw table columns into network inputs (written by the command-line tool), or null.</summary>
    public Data.Columns.TableEncoderState? Table { get; init; }

    /// <summary>The calibration of the prediction intervals (CV+ from out-of-fold residuals), or null when the model has none.</summary>
    public IntervalsDocument? Intervals { get; init; }

    /// <summary>The permutation importance of each original column on out-of-fold rows, or null when it was not measured.</summary>
    public ImportanceDocument? Importance { get; init; }

    /// <summary>The data summary, scores and warnings of the fit that made the model, or null (files written before it was kept, library models).</summary>
    public ReportDocument? Report { get; init; }

    /// <summary>
    /// "log" when the networks were trained on the natural log of the targets (a prediction is then
    /// e to the network's output, de-scaled); "none" or null (files written before it existed) otherwise.
    /// </summary>
    public string? TargetTransform { get; init; }

    /// <summary>
    /// The ensemble's other networks, or null for a single network. The network above (layers,
    /// target scaler, options, history, result) is member 1 and these are members 2 to K; a
    /// prediction is the mean of every member's prediction in the targets' units.
    /// </summary>
    public IReadOnlyList<MemberDocument>? Members { get; init; }
}

/// <summary>One more network of an ensemble: the same inputs, outputs and precision as the model's first network.</summary>
/// <param name="Layers">The dense layers, first hidden to output.</param>
/// <param name="TargetScaler">Its standardization of the targets, or null.</param>
/// <param name="Options">The options it was trained with.</param>
/// <param name="History">Every epoch's record.</param>
/// <param name="Result">How its training ended.</param>
public sealed record MemberDocument(IReadOnlyList<LayerDocument> Layers, ScalerDocument? TargetScaler, RegressorOptions? Options, IReadOnlyList<EpochRecord>? History, TrainingResult? Result);

/// <summary>One dense layer: W is [units, inputs] row-major.</summary>
/// <param name="Units">Outputs of the layer.</param>
/// <param name="Activation">Its activation.</param>
/// <param name="Weights">units x inputs values, row-major.</param>
/// <param name="Biases">units values.</param>
public sealed record LayerDocument(int Units, Activation Activation, double[] Weights, double[] Biases);

/// <summary>A standardizer's parameters: x' = (x - mean) / scale.</summary>
/// <param name="Mean">Per column.</param>
/// <param name="Scale">Per column, positive.</param>
public sealed record ScalerDocument(double[] Mean, double[] Scale);

/// <summary>Identifies the data a model was trained on.</summary>
/// <param name="File">The file name (without folders).</param>
/// <param name="Rows">Rows used for training (after dropping any).</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes.</param>
public sealed record DataFingerprint(string? File, int Rows, string? Sha256);
