using Backprop.Activations;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Every bad input gets an exception whose message says what was wrong and what is allowed.
public class BadInputTests
{
    private static readonly double[][] X = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
    private static readonly double[] Y = [1.0, 2.0, 3.0];

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "infinite")]
    public void Non_finite_inputs_are_refused(double bad, string word)
    {
        var x = X.Select(r => r.ToArray()).ToArray();
        x[1][0] = bad;
        var e = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit(x, Y));
        Assert.Contains(word, e.Message);
        Assert.Contains("row 1, column 0", e.Message);
    }

    [Fact]
    public void Non_finite_targets_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit(X, [1.0, double.NaN, 3.0]));
        Assert.Contains("target row 1", e.Message);
        Assert.Contains("not allowed", e.Message);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit(X, [1.0, 2.0]));
        Assert.Contains("Shapes disagree", e.Message);
        var ragged = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit([[1.0, 2.0], [3.0]], [1.0, 2.0]));
        Assert.Contains("row 1 has 1 values", ragged.Message);
        var weights = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit(X, Y, [1.0]));
        Assert.Contains("sample weights", weights.Message);
        var data = new TrainingData<double>([1, 2, 3, 4], [1, 2], 2, 1);
        var network = Network<double>.Create(3, [2], Activation.Tanh, 1);
        var trainer = new Trainer<double>(network, new TrainingOptions());
        var features = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("2 features per row but the network takes 3", features.Message);
    }

    [Fact]
    public void Empty_data_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new MlpRegressor().Fit([], Array.Empty<double>()));
        Assert.Contains("empty", e.Message);
        var t = Assert.Throws<ArgumentException>(() => new TrainingData<float>([], [], 1, 1));
        Assert.Contains("empty", t.Message);
    }

    [Fact]
    public void Bad_sample_weights_are_refused()
    {
        var negative = Assert.Throws<ArgumentException>(() => new TrainingData<double>([1, 2], [1, 2], 1, 1, [1, -1]));
        Assert.Contains("0 or more", negative.Message);
        var zero = Assert.Throws<ArgumentException>(() => new TrainingData<double>([1, 2], [1, 2], 1, 1, [0, 0]));
        Assert.Contains("add up to 0", zero.Message);
    }

    public static TheoryData<RegressorOptions, string, string> BadOptions() => new()
    {
        { new RegressorOptions { LearningRate = -0.1 }, "LearningRate", "positive" },
        { new RegressorOptions { LearningRate = double.NaN }, "LearningRate", "positive" },
        { new RegressorOptions { BatchSize = 0 }, "BatchSize", "at least 1" },
        { new RegressorOptions { Epochs = 0 }, "Epochs", "at least 1" },
        { new RegressorOptions { HiddenLayers = [64, 0] }, "HiddenLayers", "at least 1" },
        { new RegressorOptions { Momentum = 1.0 }, "Momentum", "[0, 1)" },
        { new RegressorOptions { ValidationFraction = 1.0 }, "ValidationFraction", "[0, 1)" },
        { new RegressorOptions { L2 = -1 }, "L2", "0 or more" },
        { new RegressorOptions { ClipNorm = 0 }, "ClipNorm", "positive" },
        { new RegressorOptions { HuberDelta = 0 }, "HuberDelta", "positive" },
        { new RegressorOptions { Patience = 0 }, "Patience", "at least 1" },
        { new RegressorOptions { Gamma = 1.5 }, "Gamma", "(0, 1)" },
        { new RegressorOptions { Threads = -2 }, "Threads", "0 (all cores)" },
        { new RegressorOptions { Optimizer = (OptimizerKind)99 }, "Optimizer", "Adam" },
        { new RegressorOptions { Activation = (Activation)99 }, "Activation", "Tanh" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Invalid_options_name_the_option_and_what_is_allowed(RegressorOptions options, string name, string allowed)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MlpRegressor(options));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(allowed, e.Message);
        Assert.Contains("got", e.Message);
    }

    [Fact]
    public void Batch_larger_than_the_data_means_full_batch()
    {
        var model = new MlpRegressor(new RegressorOptions { BatchSize = 1000, Epochs = 5, EarlyStopping = false });
        var result = model.Fit(X, Y);
        Assert.Equal(5, result.EpochsRun);
    }

    [Fact]
    public void A_network_needs_layers_and_units()
    {
        Assert.Contains("at least one layer", Assert.Throws<ArgumentOutOfRangeException>(() => new Network<double>(2, [])).Message);
        Assert.Contains("every layer needs at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Network<double>(2, [new LayerSpec(0, Activation.Tanh)])).Message);
        Assert.Contains("at least 1 input", Assert.Throws<ArgumentOutOfRangeException>(() => new Network<double>(0, [new LayerSpec(1, Activation.Identity)])).Message);
        Assert.Contains("Huber delta", Assert.Throws<ArgumentOutOfRangeException>(() => new LossFunction(LossKind.Huber, -1)).Message);
    }

    [Fact]
    public void Predicting_before_fitting_or_with_wrong_width_is_refused()
    {
        Assert.Contains("not fitted", Assert.Throws<InvalidOperationException>(() => new MlpRegressor().Predict([1.0, 2.0])).Message);
        var model = new MlpRegressor(new RegressorOptions { Epochs = 2 });
        model.Fit(X, Y);
        Assert.Contains("takes 2 features", Assert.Throws<ArgumentException>(() => model.Predict([1.0, 2.0, 3.0])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => model.Predict([1.0, double.NaN])).Message);
    }
}
