using Backprop.Data.Columns;
using Backprop.Serialization;

namespace Backprop.Tables;

/// <summary>Reads a model file into a <see cref="TableModel"/>, checking that the encoding and the network fit each other.</summary>
internal static class TableModelFile
{
    public static TableModel Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new ModelFormatException(path, "is a folder, not a model file.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such model file; train one with 'backprop train DATA --target COLUMN'.", path);
        string name = Path.GetFileName(path);
        var document = ModelFile.Read(path);
        if (document.Table is null)
            throw new ModelFormatException(name, "the model has no table encoding (it was saved by the library, not by 'backprop train'), so it cannot read CSV columns.");
        TableEncoder encoder;
        try
        {
            encoder = TableEncoder.FromState(document.Table);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(name, $"{e.Message.TrimEnd('.')}; the file was edited or damaged.", e);
        }
        var members = Enumerable.Range(0, 1 + (document.Members?.Count ?? 0)).Select(k => ModelFile.ToModel(ModelFile.Member(document, k), name)).ToArray();
        var model = members[0];
        if (encoder.FeatureCount != model.FeatureCount)
            throw Damaged(name, $"the table encoding gives {encoder.FeatureCount} inputs but the network takes {model.FeatureCount}");
        if (encoder.TargetCount != model.TargetCount)
            throw Damaged(name, $"the table encoding names {encoder.TargetCount} targets but the network has {model.TargetCount} outputs");
        if (model.InputScaler is not null)
            throw Damaged(name, "the model scales its inputs itself, which 'backprop train' never writes");
        var transform = document.TargetTransform == "log" ? TargetTransform.Log : TargetTransform.None;
        return new TableModel(new Ensemble(members, transform), encoder, document.Data, report: null, loaded: document);
    }

    private static ModelFormatException Damaged(string name, string what) => new(name, what + "; the file was edited or damaged.");
}
