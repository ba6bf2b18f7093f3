using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tests.Engine;

// The loader refuses finite weights whose forward pass could still overflow, so that a model that
// loads predicts finite numbers (docs/model-format.md); weights a trained model has load as before.
public class ModelLoadValidationTests
{
    private static readonly Lazy<ModelDocument> Trained = new(() =>
    {
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [4], Epochs = 3, Seed = 1, Precision = Precision.Double });
        model.Fit(Datasets.Friedman1(64, seed: 1));
        return ModelFile.ToDocument(model);
    });

    private static ModelDocument WithWeight(int layer, double weight, Precision precision = Precision.Double)
    {
        var d = Trained.Value;
        var layers = d.Layers.ToArray();
        var weights = (double[])layers[layer].Weights.Clone();
        weights[0] = weight;
        layers[layer] = layers[layer] with { Weights = weights };
        return d with { Layers = layers, Precision = precision };
    }

    [Theory]
    [InlineData(0, 1e308)]   // would predict NaN: +inf and -inf meet in the first layer's sums
    [InlineData(1, 1e308)]   // would predict +inf: the target scaler multiplies it past the largest double
    [InlineData(1, -1e308)]
    public void A_weight_that_makes_the_forward_pass_overflow_is_refused(int layer, double weight)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.ToModel(WithWeight(layer, weight), "m.json"));
        Assert.StartsWith("m.json: ", error.Message);
        Assert.Contains(layer == 0 ? "layer 1's weights are too large" : "too large", error.Message);
    }

    [Fact]
    public void The_bound_follows_the_precision()
    {
        // 1e33 times standardized inputs of up to 3.5e6 (the scaler divides by about 0.29) overflows
        // a float (3.4e38), not a double.
        var model = ModelFile.ToModel(WithWeight(0, 1e33, Precision.Double));
        Assert.All(model.Predict(new double[10 * 3], 3), v => Assert.True(double.IsFinite(v)));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.ToModel(WithWeight(0, 1e33, Precision.Single)));
        Assert.Contains("layer 1's weights are too large", error.Message);
    }

    [Fact]
    public void A_target_scaler_that_overflows_the_output_is_refused()
    {
        // Hidden tanh units give at most 1 each, so an output weight of 10 bounds the network's output
        // by 10 and over; scaled by 1e308 that passes the largest double.
        var d = WithWeight(1, 10);
        var scaled = d with { TargetScaler = new ScalerDocument(d.TargetScaler!.Mean, [1e308]) };
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.ToModel(scaled));
        Assert.Contains("'target_scaler' is too large", error.Message);
    }

    [Fact]
    public void Large_but_safe_weights_load_and_predict_finite_numbers()
    {
        var model = ModelFile.ToModel(WithWeight(1, 1e200));
        var y = model.Predict(new double[10], 1);
        Assert.True(double.IsFinite(y[0]) && Math.Abs(y[0]) > 1e100, $"predicted {y[0]}");
    }
}
