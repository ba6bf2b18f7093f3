using Backprop.Activations;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Plain online gradient descent on a tiny network runs in one fused loop, and on the seed's 1-1-1
// network in a loop that keeps the four parameters in registers. Both must reproduce the reference
// path's bits; the reference path is reached by turning the fast paths off (TrainingOptions.FastPaths).
public class OnlineDescentTests
{
    [Theory]
    [InlineData(Activation.Sigmoid, Activation.Identity, false)] // the seed
    [InlineData(Activation.Tanh, Activation.Identity, true)]
    [InlineData(Activation.Relu, Activation.Sigmoid, true)]
    public void The_seed_loop_gives_the_general_paths_bits(Activation hidden, Activation output, bool shuffle)
    {
        var (x, y) = SeedNetwork.Curve();
        var specs = new[] { new LayerSpec(1, hidden), new LayerSpec(1, output) };
        AssertSameTraining<float>(specs, 1, 1, x, y, shuffle, 0.05, epochs: 4, StepPath.Seed);
        AssertSameTraining<double>(specs, 1, 1, x, y, shuffle, 0.05, epochs: 4, StepPath.Seed);
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
        AssertSameTraining<float>(specs, Features, Outputs, x, y, shuffle, 0.02, epochs: 5, StepPath.Fused);
        AssertSameTraining<double>(specs, Features, Outputs, x, y, shuffle, 0.02, epochs: 5, StepPath.Fused);
    }

    [Fact]
    public void A_diverging_seed_run_stops_as_the_general_path_does()
    {
        var (x, y) = SeedNetwork.Curve();
        var big = y.Select(v => v * 1e30).ToArray();
        var specs = new[] { new LayerSpec(1, Activation.Sigmoid), new LayerSpec(1, Activation.Identity) };
        var (fused, general) = AssertSameTraining<float>(specs, 1, 1, x, big, shuffle: false, 10, epochs: 3, StepPath.Seed);
        Assert.Equal(StopReason.Diverged, fused.Reason);
        Assert.Equal(general, fused);
    }

    [Fact]
    public void The_fused_loop_is_used_only_where_its_arithmetic_is_the_general_paths()
    {
        var seed = SeedNetwork.Create<float>(Activation.Sigmoid);
        var data = new TrainingData<float>(new float[4], new float[4], 1, 1);
        var plain = new TrainingOptions { BatchSize = 1, Optimizer = OptimizerKind.GradientDescent };
        Assert.True(Fused(seed, plain, data));
        Assert.False(Fused(seed, plain with { BatchSize = 2 }, data));
        Assert.False(Fused(seed, plain with { Optimizer = OptimizerKind.Momentum, Momentum = 0.9 }, data));
        Assert.False(Fused(seed, plain with { L2 = 1e-3 }, data));
        Assert.False(Fused(seed, plain with { ClipNorm = 1 }, data));
        Assert.False(Fused(seed, plain with { Loss = Losses.LossKind.Huber }, data));
        Assert.False(Fused(seed, plain, new TrainingData<float>(new float[4], new float[4], 1, 1, [1f, 1f, 1f, 1f])));
        Assert.False(Fused(new Network<float>(1, [new LayerSpec(1, Activation.Gelu), new LayerSpec(1, Activation.Identity)]), plain, data));
        var wide = new Network<float>(1, [new LayerSpec(OnlineDescent<float>.MaxWidth + 1, Activation.Tanh), new LayerSpec(1, Activation.Identity)]);
        Assert.False(Fused(wide, plain, data));
    }

    private static bool Fused(Network<float> network, TrainingOptions options, TrainingData<float> data) =>
        ReferencePath.PathFor(network, options, data) is StepPath.Fused or StepPath.Seed;

    // Trains the same network from the same start on the fused path and the reference path.
    private static (TrainingResult Fused, TrainingResult General) AssertSameTraining<T>(
        LayerSpec[] specs, int features, int outputs, double[] x, double[] y, bool shuffle, double rate, int epochs, StepPath fused)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ReferencePath.AssertSameTraining<T>(specs, features, outputs, x, y, weights: null, initSeed: 4, ReferencePath.PlainOnline(shuffle, rate, epochs, seed: 9), fused);
}
