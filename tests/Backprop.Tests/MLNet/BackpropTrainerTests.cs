using Backprop.MLNet;
using Backprop.Regression;
using Backprop.Samples.MLNetPipeline;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.Tests.MLNet;

// Backprop's trainer inside ML.NET: the same network MlpRegressor fits, a Score column that
// Regression.Evaluate reads, settable column names, and saving through the documented path.
public sealed class BackpropTrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-mlnet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly RegressorOptions Small = new() { HiddenLayers = [16, 16], Epochs = 40, Seed = 7 };

    private static IEstimator<TransformerChain<BackpropRegressionTransformer>> Pipeline(MLContext ml) =>
        ml.Transforms.Concatenate("Features", "a", "b", "c")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Regression.Trainers.Backprop(labelColumnName: "Label", featureColumnName: "Features", options: Small));

    private static double[][] Features(IDataView data) =>
        [.. data.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().Select(x => (double)x).ToArray())];

    [Fact]
    public void The_pipeline_scores_every_row_as_MlpRegressor_does_on_the_same_rows_and_options()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Program.Rows(300, 1));
        var test = ml.Data.LoadFromEnumerable(Program.Rows(100, 2));
        var model = Pipeline(ml).Fit(train);
        var scored = model.Transform(test);

        // The same rows as the trainer saw them: the pipeline's features before the trainer, its labels.
        var before = new TransformerChain<ITransformer>([.. model.Take(2)]);
        var direct = new MlpRegressor(Small);
        direct.Fit(Features(before.Transform(train)), [.. train.GetColumn<float>("Label").Select(y => (double)y)]);
        Assert.Equal(direct.GetParameters(), model.LastTransformer.Model.GetParameters());
        var expected = Features(before.Transform(test)).Select(x => (float)direct.Predict(x)).ToArray();
        Assert.Equal(expected, scored.GetColumn<float>("Score").ToArray());

        // Evaluate reads the Score column: its R2 is that of the expected predictions.
        var labels = test.GetColumn<float>("Label").Select(y => (double)y).ToArray();
        double mean = labels.Average();
        double r2 = 1 - labels.Select((y, i) => (y - expected[i]) * (y - expected[i])).Sum() / labels.Sum(y => (y - mean) * (y - mean));
        Assert.Equal(r2, ml.Regression.Evaluate(scored).RSquared, 1e-6);
    }

    public sealed class Empty;

    public sealed class Renamed
    {
        [VectorType(2)]
        public float[] Inputs { get; set; } = [];

        public float Target { get; set; }
    }

    [Fact]
    public void Column_names_are_settable()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 200).Select(i => new Renamed { Inputs = [i / 100f, (i % 7) / 7f], Target = 3f * i / 100 - (i % 7) / 7f }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.Regression.Trainers.Backprop(labelColumnName: "Target", featureColumnName: "Inputs", options: Small with { Epochs = 200 });
        var scored = trainer.Fit(data).Transform(data);
        var metrics = ml.Regression.Evaluate(scored, labelColumnName: "Target");
        Assert.True(metrics.RSquared > 0.9, $"R2 {metrics.RSquared}");
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        // A schema shape can only come from ML.NET: here, what a mapping that makes these columns says it makes.
        var shape = ml.Transforms.CustomMapping<Empty, Renamed>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));
        Assert.Contains(trainer.GetOutputSchema(shape), c => c.Name == "Score" && c.ItemType == NumberDataViewType.Single);
        var vectorLabel = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Backprop(labelColumnName: "Inputs", featureColumnName: "Inputs").GetOutputSchema(shape));
        Assert.Equal("labelColumnName", vectorLabel.ParamName);
    }

    [Fact]
    public void A_missing_or_mistyped_column_is_named_with_its_parameter()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Program.Rows(20, 1));
        var noFeatures = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Backprop().Fit(data));
        Assert.Equal("featureColumnName", noFeatures.ParamName);
        var scalar = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Backprop(featureColumnName: "a").Fit(data));
        Assert.Contains("a vector of floats", scalar.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Backprop(options: new RegressorOptions { Epochs = 0 }));
    }

    [Fact]
    public void MLNet_cannot_save_the_trainer_so_SaveWithBackprop_keeps_the_network_in_the_zip()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Program.Rows(200, 1));
        var model = Pipeline(ml).Fit(train);
        string zip = Path.Combine(_folder, "model.zip");
        var refused = Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, train.Schema, zip));
        Assert.Contains("SaveWithBackprop", refused.Message);

        ml.Model.SaveWithBackprop(model, train.Schema, zip);
        var loaded = new MLContext().Model.LoadWithBackprop(zip, out var schema);
        Assert.Equal(train.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        Assert.Equal(model.Transform(train).GetColumn<float>("Score"), loaded.Transform(train).GetColumn<float>("Score"));

        string plain = Path.Combine(_folder, "plain.zip");
        ml.Model.Save(new TransformerChain<ITransformer>([.. model.Take(2)]), train.Schema, plain);
        Assert.Throws<InvalidDataException>(() => ml.Model.LoadWithBackprop(plain, out _));
    }

    [Fact]
    public void The_readme_pipeline_is_the_sample_s()
    {
        string readme = File.ReadAllText(Path.Combine(Packaging.PackagingTests.RepositoryRoot(), "README.md"));
        int section = readme.IndexOf("## ML.NET", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no ML.NET section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        var lines = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string sample = File.ReadAllText(Path.Combine(Packaging.PackagingTests.RepositoryRoot(), "samples", "MLNetPipeline", "Program.cs"));
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.Contains(line.Trim(), sample));
    }
}
