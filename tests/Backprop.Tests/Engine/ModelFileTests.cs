using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tests.Engine;

// Save and load through the library: bit-exact weights, same predictions, clear refusals.
public class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(Precision.Single)]
    [InlineData(Precision.Double)]
    public void Save_then_load_gives_the_same_bits_and_predictions(Precision precision)
    {
        var data = Datasets.Friedman1(300, seed: 12);
        var model = new MlpRegressor(new RegressorOptions { Epochs = 5, Precision = precision, HiddenLayers = [8, 4] });
        model.Fit(data);
        string path = Path.Combine(_folder, "m.json");
        model.Save(path);
        var loaded = MlpRegressor.Load(path);
        Assert.Equal(model.GetParameters(), loaded.GetParameters());
        Assert.Equal(model.Predict(data.Inputs, data.Rows), loaded.Predict(data.Inputs, data.Rows));
        Assert.Equal(model.History.Epochs.Count, loaded.History.Epochs.Count);
        Assert.Equal(model.Options.Activation, loaded.Options.Activation);
        Assert.Equal(precision, loaded.Options.Precision);
    }

    [Fact]
    public void Saving_over_a_file_replaces_it_whole_and_leaves_no_temporary_files()
    {
        var model = new MlpRegressor(new RegressorOptions { Epochs = 2 });
        model.Fit(Datasets.Friedman1(50, seed: 1));
        string path = Path.Combine(_folder, "m.json");
        File.WriteAllText(path, "old");
        ModelFile.Save(model, path);
        Assert.StartsWith("{", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
        Assert.Throws<DirectoryNotFoundException>(() => ModelFile.Save(model, Path.Combine(_folder, "missing", "m.json")));
    }

    [Theory]
    [InlineData("not json at all", "not valid model JSON")]
    [InlineData("{\"format\": \"something-else\", \"version\": 1}", "not a Backprop model")]
    [InlineData("{\"format\": \"backprop-model\", \"version\": 99}", "version 99 is not supported")]
    [InlineData("[1, 2, 3]", "not a Backprop model")]
    public void Foreign_files_are_refused(string content, string words)
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains(words, e.Message);
        Assert.StartsWith("bad.json: ", e.Message);
    }

    [Fact]
    public void Truncated_and_tampered_files_are_refused()
    {
        var model = new MlpRegressor(new RegressorOptions { Epochs = 2, HiddenLayers = [3] });
        model.Fit(Datasets.Friedman1(50, seed: 1));
        string path = Path.Combine(_folder, "m.json");
        ModelFile.Save(model, path);
        string json = File.ReadAllText(path);

        File.WriteAllText(path, json[..(json.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelFile.Load(path)).Message);

        File.WriteAllText(path, json.Replace("\"units\": 3", "\"units\": 4"));
        Assert.Contains("declares 4 x 10 weights but holds 30", Assert.Throws<ModelFormatException>(() => ModelFile.Load(path)).Message);

        File.WriteAllText(path, json.Replace("\"inputs\": 10", "\"inputs\": 2000000000"));
        Assert.Contains("'inputs'", Assert.Throws<ModelFormatException>(() => ModelFile.Load(path)).Message);
    }
}
