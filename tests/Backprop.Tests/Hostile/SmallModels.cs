using System.Globalization;
using System.Text;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tests.Hostile;

/// <summary>Small valid models (as the command-line tool writes them: table encoding included), built once.</summary>
internal static class SmallModels
{
    private static readonly Lazy<byte[]> SingleJson = new(() => Json(Precision.Single));
    private static readonly Lazy<byte[]> DoubleJson = new(() => Json(Precision.Double));
    private static readonly Lazy<byte[]> EnsembleBytes = new(EnsembleJsonOnce);

    /// <summary>A valid model file's bytes: a numeric and a text column, one hidden layer of 3.</summary>
    public static byte[] ValidJson(Precision precision = Precision.Single) =>
        (byte[])(precision == Precision.Single ? SingleJson : DoubleJson).Value.Clone();

    /// <summary>A valid ensemble's bytes, as the search writes one: two networks (one in <c>members</c>) trained on the log of the target.</summary>
    public static byte[] EnsembleJson() => (byte[])EnsembleBytes.Value.Clone();

    /// <summary>The training file of <see cref="ValidJson"/>: columns a (numeric), city (text), y (target).</summary>
    public static string TrainingCsv()
    {
        var sb = new StringBuilder("a,city,y\n");
        string[] cities = ["Austin", "Dallas", "Houston"];
        for (int i = 0; i < 40; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i * 0.5},{cities[i % 3]},{i * 1.5 + i % 3}\n");
        return sb.ToString();
    }

    /// <summary>A fitted model and encoder in the given precision.</summary>
    public static (MlpRegressor Model, TableEncoder Encoder, DataSet Data) Fit(Precision precision, int[] hidden, int epochs = 5)
    {
        using var reader = new StringReader(TrainingCsv());
        var table = DataTable.Load(reader, "train.csv");
        var encoder = TableEncoder.Fit(table, new EncoderOptions { Targets = ["y"] });
        var data = encoder.Encode(table, requireTargets: true);
        var model = new MlpRegressor(new RegressorOptions
        {
            HiddenLayers = hidden,
            Epochs = epochs,
            Precision = precision,
            ScaleInputs = false,
            EarlyStopping = false,
            Threads = 1,
        });
        model.Fit(data);
        return (model, encoder, data);
    }

    private static byte[] EnsembleJsonOnce()
    {
        var (first, encoder, data) = Fit(Precision.Single, [3]);
        var (second, _, _) = Fit(Precision.Single, [3], epochs: 6);
        return Write(Document(first, encoder, data) with { TargetTransform = "log", Members = [ModelFile.ToMember(second)] });
    }

    private static byte[] Json(Precision precision)
    {
        var (model, encoder, data) = Fit(precision, [3]);
        return Write(Document(model, encoder, data));
    }

    private static ModelDocument Document(MlpRegressor model, TableEncoder encoder, DataSet data) => ModelFile.ToDocument(model) with
    {
        FeatureNames = [.. encoder.FeatureNames],
        TargetNames = [.. encoder.TargetNames],
        Data = new DataFingerprint("train.csv", data.Rows, new string('0', 64)),
        Table = encoder.State,
    };

    private static byte[] Write(ModelDocument document)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(document, stream);
        return stream.ToArray();
    }
}
