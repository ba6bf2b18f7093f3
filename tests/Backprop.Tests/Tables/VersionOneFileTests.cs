using System.Globalization;
using Backprop.Tables;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Tables;

/// <summary>
/// A model file written by the command line before the table model existed (format version 1,
/// samples/diabetes.csv, 8 hidden units, 5 epochs, seed 7) still loads, and predicts exactly what
/// that command line's predict wrote for it then (Fixtures/diabetes-v1.predictions.csv).
/// </summary>
public sealed class VersionOneFileTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Tables", "Fixtures");

    private readonly CliHarness _h = new();

    [Fact]
    public void A_version_one_file_loads_and_predicts_as_it_did()
    {
        var model = TableModel.Load(Path.Combine(Fixtures, "diabetes-v1.model.json"));

        Assert.Equal(["target"], model.TargetNames);
        Assert.Equal(10, model.FeatureNames.Count);
        Assert.Equal("diabetes.csv", model.TrainedOn!.File);
        string output = _h.PathOf("predictions.csv");
        model.PredictFile(CliHarness.Sample("diabetes.csv"), output, onlyPredictions: true);
        // The fixture was written with 17 digits; a float model's predictions are now written with the
        // digits a float carries, so each value must equal the old one rounded to float.
        var then = File.ReadAllLines(Path.Combine(Fixtures, "diabetes-v1.predictions.csv"));
        var now = File.ReadAllLines(output);
        Assert.Equal(then.Length, now.Length);
        Assert.Equal(then[0], now[0]);
        for (int i = 1; i < then.Length; i++)
            Assert.Equal((float)double.Parse(then[i], CultureInfo.InvariantCulture), float.Parse(now[i], CultureInfo.InvariantCulture));
    }

    public void Dispose() => _h.Dispose();
}
