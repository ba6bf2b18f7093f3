using System.Globalization;
using Backprop.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.Samples.MLNetPipeline;

/// <summary>
/// Backprop as an ML.NET trainer: three numeric columns concatenated into Features, normalized,
/// fitted by <c>mlContext.Regression.Trainers.Backprop</c>, scored by <c>Regression.Evaluate</c>,
/// then saved and loaded with the network inside the model zip.
/// Usage: <c>dotnet run --project samples/MLNetPipeline</c>.
/// </summary>
public static class Program
{
    /// <summary>One row of the data: y = sin(2a) + b^2 - c, with a little noise.</summary>
    public sealed class Row
    {
        [ColumnName("a")]
        public float A { get; set; }

        [ColumnName("b")]
        public float B { get; set; }

        [ColumnName("c")]
        public float C { get; set; }

        public float Label { get; set; }
    }

    public static int Main() => Run(Console.Out, Path.Combine(Path.GetTempPath(), "backprop-mlnet-sample.zip"));

    /// <summary>The rows: <paramref name="count"/> of them from <paramref name="seed"/>.</summary>
    public static Row[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            float a = (float)(random.NextDouble() * 4 - 2), b = (float)(random.NextDouble() * 2 - 1), c = (float)random.NextDouble();
            return new Row { A = a, B = b, C = c, Label = (float)(Math.Sin(2 * a) + b * b - c + 0.05 * (random.NextDouble() - 0.5)) };
        })];
    }

    public static int Run(TextWriter output, string modelZip)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(800, 1));
        var test = ml.Data.LoadFromEnumerable(Rows(200, 2));

        // Backprop's defaults (RegressorOptions: 64x64 tanh, Adam, early stopping); options: sets any of them.
        var pipeline = ml.Transforms.Concatenate("Features", "a", "b", "c")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Regression.Trainers.Backprop(labelColumnName: "Label", featureColumnName: "Features"));
        var model = pipeline.Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test R2 {metrics.RSquared:F4}, RMSE {metrics.RootMeanSquaredError:F4}"));

        // ML.NET's own Save cannot hold a transformer from outside ML.NET; this saves the same zip with the network added.
        ml.Model.SaveWithBackprop(model, train.Schema, modelZip);
        var loaded = ml.Model.LoadWithBackprop(modelZip, out _);
        var again = ml.Regression.Evaluate(loaded.Transform(test));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded from {Path.GetFileName(modelZip)}: test R2 {again.RSquared:F4}"));
        return again.RSquared == metrics.RSquared ? 0 : 1;
    }
}
