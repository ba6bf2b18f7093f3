using System.IO.Compression;
using System.Text;
using Backprop.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.MLNet;

/// <summary>
/// Saving and loading a pipeline that ends in Backprop's trainer, as one file: ML.NET cannot save a
/// transformer from outside ML.NET, so the steps before it go into ML.NET's model zip as usual and
/// the network is added to the same zip as a Backprop model file (docs/model-format.md).
/// </summary>
public static class BackpropModelOperations
{
    private const string NetworkEntry = "Backprop/network.model.json";
    private const string FeatureColumnEntry = "Backprop/feature-column.txt";

    /// <summary>Saves <paramref name="model"/> (a fitted pipeline whose last step is Backprop's) to <paramref name="path"/>.</summary>
    /// <param name="catalog">An <see cref="MLContext"/>'s model operations.</param>
    /// <param name="model">What <c>pipeline.Fit</c> returned.</param>
    /// <param name="inputSchema">The schema of the data the pipeline takes (<c>data.Schema</c>).</param>
    /// <param name="path">The zip to write; replaced if it exists.</param>
    public static void SaveWithBackprop(this ModelOperationsCatalog catalog, TransformerChain<BackpropRegressionTransformer> model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var steps = model.ToArray();
        catalog.Save(new TransformerChain<ITransformer>(steps[..^1]), inputSchema, path);
        var network = model.LastTransformer;
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using (var entry = zip.CreateEntry(NetworkEntry).Open())
            ModelFile.Write(ModelFile.ToDocument(network.Model), entry);
        using (var entry = zip.CreateEntry(FeatureColumnEntry).Open())
            entry.Write(Encoding.UTF8.GetBytes(network.FeatureColumnName));
    }

    /// <summary>Loads a pipeline saved by <see cref="SaveWithBackprop"/>: ML.NET's steps, then the network re-attached.</summary>
    /// <param name="catalog">An <see cref="MLContext"/>'s model operations.</param>
    /// <param name="path">The zip.</param>
    /// <param name="inputSchema">The schema of the data the pipeline takes.</param>
    /// <exception cref="InvalidDataException">The zip has no Backprop network (it was saved with <c>Save</c>, not <see cref="SaveWithBackprop"/>).</exception>
    /// <exception cref="ModelFormatException">The network in it is not a valid model file.</exception>
    public static TransformerChain<BackpropRegressionTransformer> LoadWithBackprop(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(path);
        var before = catalog.Load(path, out inputSchema);
        using var zip = ZipFile.OpenRead(path);
        var network = zip.GetEntry(NetworkEntry) ?? throw new InvalidDataException($"{path} has no Backprop network; save the pipeline with SaveWithBackprop.");
        var column = zip.GetEntry(FeatureColumnEntry) ?? throw new InvalidDataException($"{path} has no Backprop feature column; save the pipeline with SaveWithBackprop.");
        using var networkStream = network.Open();
        var model = ModelFile.ToModel(ModelFile.Read(networkStream, path), path);
        using var reader = new StreamReader(column.Open(), Encoding.UTF8);
        return before.Append(BackpropRegressionTransformer.FromModel(model, reader.ReadToEnd()));
    }
}
