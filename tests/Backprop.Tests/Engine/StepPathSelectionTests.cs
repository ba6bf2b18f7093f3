using Backprop.Activations;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Which path StepPaths.Select picks for which configuration, and how TrainingOptions.FastPaths
// turns each fast path off.
public class StepPathSelectionTests
{
    private static readonly TrainingData<float> Rows = new(new float[8], new float[8], 1, 1);
    private static readonly TrainingOptions Plain = new() { BatchSize = 1, Optimizer = OptimizerKind.GradientDescent };

    private static StepPath PathOf(Network<float> network, TrainingOptions options, TrainingData<float>? data = null) =>
        ReferencePath.PathFor(network, options, data ?? Rows);

    [Theory]
    [MemberData(nameof(FastPathTests.Activations), MemberType = typeof(FastPathTests))]
    public void Plain_online_descent_on_the_seeds_network_takes_the_seed_loop_where_the_slopes_come_from_the_outputs(Activation activation)
    {
        var hidden = new Network<float>(1, [new LayerSpec(1, activation), new LayerSpec(1, Activation.Identity)]);
        var output = new Network<float>(1, [new LayerSpec(1, Activation.Tanh), new LayerSpec(1, activation)]);
        var expected = activation.SlopeNeedsZ() ? StepPath.OneRow : StepPath.Seed;
        Assert.Equal(expected, PathOf(hidden, Plain));
        Assert.Equal(expected, PathOf(output, Plain));
    }

    [Fact]
    public void Small_networks_take_the_fused_loop_and_wider_ones_the_one_row_path()
    {
        int max = OnlineDescent<float>.MaxWidth;
        var small = new Network<float>(1, [new LayerSpec(max, Activation.Relu), new LayerSpec(2, Activation.Tanh), new LayerSpec(1, Activation.Identity)]);
        Assert.Equal(StepPath.Fused, PathOf(small, Plain));
        var gelu = new Network<float>(1, [new LayerSpec(max, Activation.Relu), new LayerSpec(2, Activation.Gelu), new LayerSpec(1, Activation.Identity)]);
        Assert.Equal(StepPath.OneRow, PathOf(gelu, Plain));
        var wideLayer = new Network<float>(1, [new LayerSpec(max + 1, Activation.Tanh), new LayerSpec(1, Activation.Identity)]);
        Assert.Equal(StepPath.OneRow, PathOf(wideLayer, Plain));
        var wideInput = new Network<float>(max + 1, [new LayerSpec(1, Activation.Tanh), new LayerSpec(1, Activation.Identity)]);
        var wideRows = new TrainingData<float>(new float[2 * (max + 1)], new float[2], max + 1, 1);
        Assert.Equal(StepPath.OneRow, PathOf(wideInput, Plain, wideRows));
    }

    [Fact]
    public void What_the_fused_loops_cannot_do_takes_the_one_row_path_online_and_the_batched_path_otherwise()
    {
        var seed = SeedNetwork.Create<float>(Activation.Sigmoid);
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { Optimizer = OptimizerKind.Momentum, Momentum = 0.9 }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { Optimizer = OptimizerKind.Adam }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { L2 = 1e-3 }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { ClipNorm = 1 }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { Loss = LossKind.Huber }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { Loss = LossKind.AbsoluteError }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain, new TrainingData<float>(new float[4], new float[4], 1, 1, [1f, 2f, 1f, 1f])));
        Assert.Equal(StepPath.Batched, PathOf(seed, Plain with { BatchSize = 2 }));
        Assert.Equal(StepPath.Batched, PathOf(seed, Plain with { BatchSize = 32 }));
        Assert.Equal(StepPath.Batched, PathOf(seed, Plain with { Optimizer = OptimizerKind.Lbfgs }));
    }

    [Fact]
    public void Each_fast_path_can_be_turned_off_on_its_own()
    {
        var seed = SeedNetwork.Create<float>(Activation.Sigmoid);
        var small = new Network<float>(1, [new LayerSpec(3, Activation.Relu), new LayerSpec(1, Activation.Identity)]);
        Assert.Equal(FastPaths.All, Plain.FastPaths);
        Assert.Equal(StepPath.Fused, PathOf(seed, Plain with { FastPaths = FastPaths.All & ~FastPaths.Seed }));
        Assert.Equal(StepPath.Seed, PathOf(seed, Plain with { FastPaths = FastPaths.All & ~FastPaths.Fused }));
        Assert.Equal(StepPath.OneRow, PathOf(seed, Plain with { FastPaths = FastPaths.OneRow }));
        Assert.Equal(StepPath.OneRow, PathOf(small, Plain with { FastPaths = FastPaths.OneRow | FastPaths.Seed }));
        Assert.Equal(StepPath.Fused, PathOf(seed, Plain with { FastPaths = FastPaths.Fused }));
        Assert.Equal(StepPath.Batched, PathOf(small, Plain with { FastPaths = FastPaths.Seed }));
        Assert.Equal(StepPath.Batched, PathOf(seed, Plain with { FastPaths = FastPaths.None }));
        Assert.Equal(StepPath.Batched, PathOf(small, Plain with { FastPaths = FastPaths.None }));
        Assert.Equal(StepPath.Batched, PathOf(seed, Plain with { FastPaths = FastPaths.None, Optimizer = OptimizerKind.Adam }));
    }
}
