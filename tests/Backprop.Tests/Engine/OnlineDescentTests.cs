using Backprop.Activations;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Plain online gradient descent on a tiny network runs in one fused loop, and on the seed's 1-1-1
// network in a loop that keeps the four parameters in registers. Both must reproduce the general
// path's bits. The general path is forced by a clipping threshold no gradient can reach, which
// changes no arithmetic but makes the fused loop step aside.
public class OnlineDescentTests
{
    private const double Unreachable = double.MaxValue;

    [Theory]
    [InlineData(Activation.Sigmoid, Activation.Identity, false)] // the seed
    [InlineData(Activation.Tanh, Activation.Identity, true)]
    [InlineData(Activation.Relu, Activation.Sigmoid, true)]
    public void The_seed_loop_gives_the_general_paths_bits(Activation hidden, Activation output, bool shuffle)
    {
        var (x, y) = SeedNetwork.Curve();
        var specs = new[] { new LayerSpec(1, hidden), new LayerSpec(1, output) };
        AssertSameTraining<float>(specs, 1, 1, x, y, shuffle, 0.05, epochs: 4);
        AssertSameTraining<double>(specs, 1, 1, x, y, shuffle, 0.05, epochs: 4);
    }

    [Theory]
    [InlineData(Activation.Tanh, Activation.Identity, false)]
    [InlineData(Activation.Sigmoid, Activation.Relu, true)]
    [InlineData(Activation.Relu, Activation.Tanh, true)]
    public void The_tiny_network_loop_gives_the_general_paths_bits(Activation first, Activation second, bool shuffle)
    {
        const int Rows = 60, Features = 3, Outputs = 2;
        var rng = new Rng(8);
        var x = Enumerable.Range(0, Rows * Features).Select(_ => rng.NextDouble(-2, 2)).ToArray();
        var y = Enumerable.Range(0, Rows * Outputs).Select(_ => rng.NextDouble(-1, 1)).ToArray();
        var specs = new[] { new LayerSpec(3, first), new LayerSpec(OnlineDescent<double>.MaxWidth, second), new LayerSpec(Outputs, Activation.Identity) };
        AssertSameTraining<float>(specs, Features, Outputs, x, y, shuffle, 0.02, epochs: 5);
        AssertSameTraining<double>(specs, Features, Outputs, x, y, shuffle, 0.02, epochs: 5);
    }

    [Fact]
    public void A_diverging_seed_run_stops_as_the_general_path_does()
    {
        var (x, y) = SeedNetwork.Curve();
        var big = y.Select(v => v * 1e30).ToArray();
        var specs = new[] { new LayerSpec(1, Activation.Sigmoid), new LayerSpec(1, Activation.Identity) };
        var (fused, general) = AssertSameTraining<float>(specs, 1, 1, x, big, shuffle: false, 10, epochs: 3);
        Assert.Equal(StopReason.Diverged, fused.Reason);
        Assert.Equal(general, fused);
    }

    [Fact]
    public void The_fused_loop_is_used_only_where_its_arithmetic_is_the_general_paths()
    {
        var seed = SeedNetwork.Create<float>(Activation.Sigmoid);
        var data = new TrainingData<float>(new float[4], new float[4], 1, 1);
        var plain = new TrainingOptions { BatchSize = 1, Optimizer = OptimizerKind.GradientDescent };
        Assert.NotNull(Fused(seed, plain, data));
        Assert.Null(Fused(seed, plain with { BatchSize = 2 }, data));
        Assert.Null(Fused(seed, plain with { Optimizer = OptimizerKind.Momentum, Momentum = 0.9 }, data));
        Assert.Null(Fused(seed, plain with { L2 = 1e-3 }, data));
        Assert.Null(Fused(seed, plain with { ClipNorm = 1 }, data));
        Assert.Null(Fused(seed, plain with { Loss = Losses.LossKind.Huber }, data));
        Assert.Null(Fused(seed, plain, new TrainingData<float>(new float[4], new float[4], 1, 1, [1f, 1f, 1f, 1f])));
        Assert.Null(Fused(new Network<float>(1, [new LayerSpec(1, Activation.Gelu), new LayerSpec(1, Activation.Identity)]), plain, data));
        var wide = new Network<float>(1, [new LayerSpec(OnlineDescent<float>.MaxWidth + 1, Activation.Tanh), new LayerSpec(1, Activation.Identity)]);
        Assert.Null(Fused(wide, plain, data));
    }

    private static OnlineDescent<float>? Fused(Network<float> network, TrainingOptions options, TrainingData<float> data) =>
        OnlineDescent<float>.For(network, new Trainer<float>(network, options).Optimizer, options, data, options.BatchSize);

    // Trains the same network from the same start on both paths; asserts identical weights, losses
    // and step counts, and norms equal up to the order of their sums.
    private static (TrainingResult Fused, TrainingResult General) AssertSameTraining<T>(
        LayerSpec[] specs, int features, int outputs, double[] x, double[] y, bool shuffle, double rate, int epochs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = new Network<T>(features, specs);
        start.Initialize(new Rng(4));
        var data = new TrainingData<T>(x.Select(T.CreateTruncating).ToArray(), y.Select(T.CreateTruncating).ToArray(), features, outputs);
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 1,
            Shuffle = shuffle,
            Optimizer = OptimizerKind.GradientDescent,
            LearningRate = rate,
            EarlyStopping = false,
            Seed = 9,
            Threads = 1,
        };

        var fusedNetwork = start.Clone();
        var fusedTrainer = new Trainer<T>(fusedNetwork, options);
        Assert.NotNull(OnlineDescent<T>.For(fusedNetwork, fusedTrainer.Optimizer, options, data, 1));
        var fused = fusedTrainer.Fit(data);
        var generalNetwork = start.Clone();
        var generalTrainer = new Trainer<T>(generalNetwork, options with { ClipNorm = Unreachable });
        var general = generalTrainer.Fit(data);

        Assert.Equal(generalNetwork.Parameters, fusedNetwork.Parameters);
        Assert.Equal(generalTrainer.Optimizer!.Steps, fusedTrainer.Optimizer!.Steps);
        Assert.Equal(generalTrainer.History.Epochs.Count, fusedTrainer.History.Epochs.Count);
        for (int e = 0; e < fusedTrainer.History.Epochs.Count; e++)
        {
            var (f, g) = (fusedTrainer.History.Epochs[e], generalTrainer.History.Epochs[e]);
            Assert.Equal(g.TrainLoss, f.TrainLoss);
            Assert.Equal(g.GradientNorm, f.GradientNorm, 1e-12 * Math.Abs(g.GradientNorm));
        }
        return (fused, general);
    }
}
