using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Backprop.Preprocessing;
using Backprop.Regression;

namespace Backprop.Serialization;

/// <summary>
/// Reads and writes models as versioned JSON (docs/model-format.md). Writing is atomic; reading
/// validates every declared shape against the arrays, every number for finiteness, the weights
/// against overflow (a model that loads predicts finite numbers for inputs within ±1e6) and the
/// format name and version before building anything. Weights round-trip bit-exactly.
/// </summary>
public static class ModelFile
{
    /// <summary>The format name every model file declares.</summary>
    public const string FormatName = "backprop-model";

    /// <summary>The format version this library writes. It reads it and every earlier one (version 1 has no ensembles or target transform).</summary>
    public const int CurrentVersion = 2;

    /// <summary>Most networks an ensemble may hold.</summary>
    public const int MaxMembers = 100;

    /// <summary>Larger files are refused before parsing (a model of 50 M parameters is about 1 GB of JSON).</summary>
    public const long MaxFileBytes = 1L << 30;

    private const int MaxParameters = 50_000_000;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        MaxDepth = 32,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The document describing a fitted model, ready to add metadata to and write.</summary>
    public static ModelDocument ToDocument(MlpRegressor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted)
            throw new InvalidOperationException("The model is not fitted yet: there is nothing to save.");
        var parameters = model.GetParameters();
        var layers = model.Layers.Select(l => new LayerDocument(
            l.Units,
            l.Activation,
            parameters.AsSpan(l.WeightOffset, l.WeightCount).ToArray(),
            parameters.AsSpan(l.BiasOffset, l.Units).ToArray())).ToArray();
        return new ModelDocument
        {
            Created = DateTimeOffset.UtcNow,
            Writer = "Backprop " + (typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?"),
            Precision = model.Options.Precision,
            Inputs = model.FeatureCount,
            Layers = layers,
            InputScaler = model.InputScaler is { } i ? new ScalerDocument(i.Mean, i.Scale) : null,
            TargetScaler = model.TargetScaler is { } t ? new ScalerDocument(t.Mean, t.Scale) : null,
            Options = model.Options,
            History = model.History.Epochs.ToArray(),
            Result = model.LastResult,
        };
    }

    /// <summary>Writes <paramref name="document"/> to a stream.</summary>
    public static void Write(ModelDocument document, Stream stream) => JsonSerializer.Serialize(stream, document, Json);

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(ModelDocument document, string path) => AtomicFile.Write(path, s => Write(document, s));

    /// <summary>Saves a fitted model to <paramref name="path"/> atomically.</summary>
    public static void Save(MlpRegressor model, string path) => Write(ToDocument(model), path);

    /// <summary>Reads and validates a model document from a file.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid model file; the message says why.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static ModelDocument Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"{path}: no such model file.", path);
        if (info.Length > MaxFileBytes)
            throw new ModelFormatException(name, $"the file is {info.Length} bytes, more than a model file may be ({MaxFileBytes}).");
        if (info.Length == 0)
            throw new ModelFormatException(name, "the file is empty; a model file is the JSON that 'backprop train' writes.");
        using var stream = File.OpenRead(path);
        return Read(stream, name);
    }

    /// <summary>Reads and validates a model document from a stream.</summary>
    /// <exception cref="ModelFormatException">The content is not a valid model file; the message says why.</exception>
    public static ModelDocument Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelDocument? document;
        try
        {
            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 32 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
                throw new ModelFormatException(sourceName, $"not a Backprop model file (no \"format\": \"{FormatName}\" field).");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v))
                throw new ModelFormatException(sourceName, "the model file has no format version.");
            if (v is < 1 or > CurrentVersion)
                throw new ModelFormatException(sourceName, UnsupportedVersion(v));
            document = root.Deserialize<ModelDocument>(Json);
        }
        catch (JsonException e)
        {
            // The parser's own message names its internals (LineNumber, BytePositionInLine): say where in plain words.
            string where = e.Path is { Length: > 1 } field ? $"the field {field} has the wrong type or value"
                : e.LineNumber is 0 or null && e.BytePositionInLine is 0 or null ? "the file is not JSON; a model file is the JSON that 'backprop train' writes"
                : $"it breaks off or goes wrong at line {e.LineNumber + 1}, character {e.BytePositionInLine + 1}";
            throw new ModelFormatException(sourceName, $"not valid model JSON ({where}); the file may be truncated or edited.", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw new ModelFormatException(sourceName, $"a field has the wrong type ({FirstLine(e.Message)}).", e);
        }
        if (document is null)
            throw new ModelFormatException(sourceName, "the model file is empty.");
        Validate(document, sourceName);
        return document;
    }

    /// <summary>Loads a model saved by <see cref="Save"/> or the command-line tool.</summary>
    public static MlpRegressor Load(string path) => ToModel(Read(path), Path.GetFileName(path));

    /// <summary>Builds a regressor from a validated document.</summary>
    /// <exception cref="ModelFormatException">The document is inconsistent (shapes, values or stored options); the message says why.</exception>
    public static MlpRegressor ToModel(ModelDocument document, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        Validate(document, sourceName);
        var options = (document.Options ?? new RegressorOptions()) with
        {
            HiddenLayers = document.Layers.Take(document.Layers.Count - 1).Select(l => l.Units).ToArray(),
            Activation = document.Layers.Count > 1 ? document.Layers[0].Activation : Activations.Activation.Relu,
            Precision = document.Precision,
            ScaleInputs = document.InputScaler is not null,
            ScaleTargets = document.TargetScaler is not null,
        };
        MlpRegressor model;
        try
        {
            model = new MlpRegressor(options);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(sourceName, $"the stored training options are invalid: {OptionProblem(e)}", e);
        }
        var parameters = new List<double>();
        foreach (var layer in document.Layers)
        {
            parameters.AddRange(layer.Weights);
            parameters.AddRange(layer.Biases);
        }
        int outputs = document.Layers[^1].Units;
        model.Restore(
            document.Inputs,
            outputs,
            document.InputScaler is { } i ? new Standardizer(i.Mean, i.Scale) : null,
            document.TargetScaler is { } t ? new Standardizer(t.Mean, t.Scale) : null,
            parameters.ToArray(),
            document.History ?? []);
        return model;
    }

    internal static void Validate(ModelDocument d, string? source)
    {
        void Fail(string message) => throw new ModelFormatException(source, message);

        if (d.Format != FormatName)
            Fail($"not a Backprop model file (format is '{d.Format}').");
        if (d.Version is < 1 or > CurrentVersion)
            Fail(UnsupportedVersion(d.Version));
        if (!Enum.IsDefined(d.Precision))
            Fail("unknown precision.");
        if (d.Inputs < 1 || d.Inputs > MaxParameters)
            Fail($"'inputs' is {d.Inputs}; it must be between 1 and {MaxParameters}.");
        if (d.Layers is null || d.Layers.Count == 0)
            Fail("the model has no layers.");
        long total = 0;
        int fanIn = d.Inputs;
        for (int l = 0; l < d.Layers!.Count; l++)
        {
            var layer = d.Layers[l];
            if (layer is null)
                Fail($"layer {l + 1} is empty.");
            if (layer!.Units < 1 || layer.Units > MaxParameters)
                Fail($"layer {l + 1} declares {layer.Units} units.");
            if (!Enum.IsDefined(layer.Activation))
                Fail($"layer {l + 1} has an unknown activation.");
            if (l < d.Layers.Count - 1 && layer.Activation != d.Layers[0].Activation)
                Fail($"layer {l + 1} has activation {layer.Activation} but layer 1 has {d.Layers[0].Activation}; hidden layers share one activation.");
            if (l == d.Layers.Count - 1 && layer.Activation != Activations.Activation.Identity)
                Fail("the output layer must have the identity activation.");
            long expected = (long)layer.Units * fanIn;
            if (layer.Weights is null || layer.Weights.Length != expected)
                Fail($"layer {l + 1} declares {layer.Units} x {fanIn} weights but holds {layer.Weights?.Length ?? 0}.");
            if (layer.Biases is null || layer.Biases.Length != layer.Units)
                Fail($"layer {l + 1} declares {layer.Units} biases but holds {layer.Biases?.Length ?? 0}.");
            if (!layer.Weights!.All(double.IsFinite) || !layer.Biases!.All(double.IsFinite))
                Fail($"layer {l + 1} holds a NaN or infinite weight.");
            total += expected + layer.Units;
            if (total > MaxParameters)
                Fail($"the model declares more than {MaxParameters} parameters.");
            fanIn = layer.Units;
        }
        CheckScaler(d.InputScaler, d.Inputs, "input_scaler", source);
        CheckScaler(d.TargetScaler, d.Layers[^1].Units, "target_scaler", source);
        switch (OutputBound.FirstOverflow(d))
        {
            case > 0 and int layer:
                Fail($"layer {layer}'s weights are too large: its outputs could overflow for inputs within ±{OutputBound.InputRange:0e0}, so the model could predict infinity or NaN.");
                break;
            case < 0:
                Fail($"'target_scaler' is too large for the network's outputs: predictions could overflow for inputs within ±{OutputBound.InputRange:0e0}.");
                break;
        }
        if (d.FeatureNames is not null && d.FeatureNames.Count != d.Inputs)
            Fail($"'feature_names' has {d.FeatureNames.Count} names for {d.Inputs} inputs.");
        if (d.TargetNames is not null && d.TargetNames.Count != d.Layers[^1].Units)
            Fail($"'target_names' has {d.TargetNames.Count} names for {d.Layers[^1].Units} outputs.");
        if (d.FeatureNames is not null && d.FeatureNames.Any(n => n is null))
            Fail("'feature_names' holds a null name.");
        if (d.TargetNames is not null && d.TargetNames.Any(n => n is null))
            Fail("'target_names' holds a null name.");
        if (d.History is not null && d.History.Any(r => r is null))
            Fail("'history' holds a null record.");
        if (d.Intervals?.Problem(d.TargetNames, d.Layers[^1].Units) is { } intervals)
            Fail(intervals);
        if (d.Importance?.Problem() is { } importance)
            Fail(importance);
        if (d.Report is { } report && !IsComplete(report))
            Fail("'report' is incomplete (a null data summary, score or name).");
        if (d.TargetTransform is not (null or "none" or "log"))
            Fail($"'target_transform' is '{d.TargetTransform}'; it must be \"none\" or \"log\".");
        if (d.Members is { } members)
            ValidateMembers(d, members, source);
    }

    /// <summary>The document of member <paramref name="index"/> (0 is the model's own network) as a single-network document, to build or check on its own.</summary>
    public static ModelDocument Member(ModelDocument document, int index)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (index == 0)
            return document with { Members = null };
        var m = document.Members![index - 1];
        return document with { Layers = m.Layers, TargetScaler = m.TargetScaler, Options = m.Options, History = m.History, Result = m.Result, Members = null };
    }

    /// <summary>An ensemble member's part of <see cref="ToDocument"/>.</summary>
    public static MemberDocument ToMember(MlpRegressor model)
    {
        var d = ToDocument(model);
        return new MemberDocument(d.Layers, d.TargetScaler, d.Options, d.History, d.Result);
    }

    // Every member is a whole network in its own right, with the first's inputs and outputs.
    private static void ValidateMembers(ModelDocument d, IReadOnlyList<MemberDocument> members, string? source)
    {
        if (members.Count > MaxMembers - 1)
            throw new ModelFormatException(source, $"'members' holds {members.Count} networks; an ensemble has at most {MaxMembers}.");
        long parameters = d.Layers.Sum(l => (long)l.Weights.Length + l.Biases.Length);
        for (int k = 0; k < members.Count; k++)
        {
            string which = $"'members' network {k + 2}";
            if (members[k] is not { Layers: not null })
                throw new ModelFormatException(source, $"{which} is empty.");
            if (members[k].Layers.Count == 0 || members[k].Layers[^1] is not { } last || last.Units != d.Layers[^1].Units)
                throw new ModelFormatException(source, $"{which} must end in {d.Layers[^1].Units} outputs, as the first network does.");
            try
            {
                Validate(Member(d, k + 1), null);
            }
            catch (ModelFormatException e)
            {
                throw new ModelFormatException(source, $"{which}: {e.Message}", e);
            }
            parameters += members[k].Layers.Sum(l => (long)l.Weights.Length + l.Biases.Length);
            if (parameters > MaxParameters)
                throw new ModelFormatException(source, $"the ensemble declares more than {MaxParameters} parameters.");
        }
    }

    private static string UnsupportedVersion(int version) =>
        $"model format version {version} is not supported; this Backprop reads versions 1 to {CurrentVersion}.";

    // The report is only shown, never computed with, so it needs its parts present, not checked for sense.
    private static bool IsComplete(ReportDocument r) =>
        r.Data is { File: not null }
        && r.Scores is not null && r.Scores.All(s => s is { Part: not null, Targets: not null } && s.Targets.All(t => t is { Target: not null }))
        && r.Warnings is not null && r.Warnings.All(w => w is not null);

    private static void CheckScaler(ScalerDocument? scaler, int width, string name, string? source)
    {
        if (scaler is null)
            return;
        if (scaler.Mean is null || scaler.Scale is null || scaler.Mean.Length != width || scaler.Scale.Length != width)
            throw new ModelFormatException(source, $"'{name}' must hold {width} means and {width} scales.");
        if (!scaler.Mean.All(double.IsFinite) || !scaler.Scale.All(s => double.IsFinite(s) && s > 0))
            throw new ModelFormatException(source, $"'{name}' holds a NaN, infinite or non-positive value.");
    }

    // "Loss must be one of ...; got -1. (Parameter 'Loss')\nActual value was -1." -> "Loss must be one of ...; got -1."
    private static string OptionProblem(ArgumentException e)
    {
        string first = FirstLine(e.Message);
        int cut = first.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut > 0 ? first[..cut] : first;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
