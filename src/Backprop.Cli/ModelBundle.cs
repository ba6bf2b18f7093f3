using Backprop.Data.Columns;
using Backprop.Losses;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Cli;

/// <summary>A model file read back: the document, the regressor and the table encoding.</summary>
internal sealed class ModelBundle
{
    private ModelBundle(string path, ModelDocument document, MlpRegressor model, TableEncoder encoder)
    {
        Path = path;
        Document = document;
        Model = model;
        Encoder = encoder;
    }

    public string Path { get; }

    public ModelDocument Document { get; }

    public MlpRegressor Model { get; }

    public TableEncoder Encoder { get; }

    public LossFunction Loss => new(Model.Options.Loss, Model.Options.HuberDelta);

    /// <summary>Reads and validates a model file written by <c>backprop train</c>.</summary>
    public static ModelBundle Load(string path)
    {
        if (Directory.Exists(path))
            throw new CliException($"{path}: is a folder, not a model file.");
        if (!File.Exists(path))
            throw new CliException($"{path}: no such model file; train one with 'backprop train DATA --target COLUMN'.");
        string name = System.IO.Path.GetFileName(path);
        var document = ModelFile.Read(path);
        if (document.Table is null)
            throw new CliException($"{name}: the model has no table encoding (it was saved by the library, not by 'backprop train'), so it cannot read CSV columns.");
        TableEncoder encoder;
        try
        {
            encoder = TableEncoder.FromState(document.Table);
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"{name}: {e.Message.TrimEnd('.')}; the file was edited or damaged.");
        }
        var model = ModelFile.ToModel(document, name);
        if (encoder.FeatureCount != model.FeatureCount)
            throw new CliException($"{name}: the table encoding gives {encoder.FeatureCount} inputs but the network takes {model.FeatureCount}; the file was edited or damaged.");
        if (encoder.TargetCount != model.TargetCount)
            throw new CliException($"{name}: the table encoding names {encoder.TargetCount} targets but the network has {model.TargetCount} outputs; the file was edited or damaged.");
        if (model.InputScaler is not null)
            throw new CliException($"{name}: the model scales its inputs itself, which 'backprop train' never writes; the file was edited or damaged.");
        return new ModelBundle(path, document, model, encoder);
    }

    /// <summary>The targets in the network's own (standardized) units, as training saw them.</summary>
    public double[] ScaleTargets(double[] targets)
    {
        var y = (double[])targets.Clone();
        if (Model.TargetScaler is { } scaler)
        {
            for (int i = 0; i < y.Length; i += Model.TargetCount)
                scaler.Transform(y.AsSpan(i, Model.TargetCount));
        }
        return y;
    }
}
