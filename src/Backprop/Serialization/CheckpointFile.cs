using System.Text.Json;
using Backprop.Training;

namespace Backprop.Serialization;

/// <summary>
/// A checkpoint: the model file's content plus the <see cref="TrainerState"/> needed to resume, as
/// one versioned JSON document written atomically (docs/model-format.md describes both).
/// </summary>
/// <param name="Model">The model as it stood at the end of the checkpoint's epoch.</param>
/// <param name="Trainer">The trainer's state at that moment.</param>
public sealed record CheckpointDocument(ModelDocument Model, TrainerState Trainer)
{
    /// <summary>Always "backprop-checkpoint".</summary>
    public string Format { get; init; } = CheckpointFile.FormatName;

    /// <summary>The checkpoint format version.</summary>
    public int Version { get; init; } = CheckpointFile.CurrentVersion;
}

/// <summary>Reads and writes checkpoints.</summary>
public static class CheckpointFile
{
    /// <summary>The format name every checkpoint declares.</summary>
    public const string FormatName = "backprop-checkpoint";

    /// <summary>The checkpoint version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Writes a checkpoint atomically: a crash leaves the previous checkpoint intact.</summary>
    public static void Write(CheckpointDocument checkpoint, string path) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, checkpoint, ModelFile.Json));

    /// <summary>Reads and validates a checkpoint.</summary>
    /// <exception cref="ModelFormatException">Not a valid checkpoint; the message says why.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static CheckpointDocument Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such checkpoint file.", path);
        if (new FileInfo(path).Length > ModelFile.MaxFileBytes)
            throw new ModelFormatException(name, "the file is larger than a checkpoint may be.");
        CheckpointDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 32 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
                throw new ModelFormatException(name, $"not a Backprop checkpoint (no \"format\": \"{FormatName}\" field).");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != CurrentVersion)
                throw new ModelFormatException(name, $"checkpoint version is not supported; this Backprop reads version {CurrentVersion}.");
            document = root.Deserialize<CheckpointDocument>(ModelFile.Json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(name, "not valid checkpoint JSON; the file may be truncated or edited.", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw new ModelFormatException(name, "a checkpoint field has the wrong type.", e);
        }
        if (document?.Model is null || document.Trainer is null)
            throw new ModelFormatException(name, "the checkpoint lacks its model or trainer state.");
        return document;
    }
}
