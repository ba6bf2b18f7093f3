using Backprop.Activations;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Each fast path against the reference path (TrainingOptions.FastPaths off): the same weights,
// losses and steps after several epochs, for every activation, several shapes, float and double.
public class FastPathTests
{
    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    // The activations the fused loops accept: those whose slope comes from their output.
    public static TheoryData<Activation> SlopedFromOutput => new(Enum.GetValues<Activation>().Where(a => !a.SlopeNeedsZ()));

    [Theory]
    [MemberData(nameof(SlopedFromOutput))]
    public void The_seed_loop_gives_the_reference_paths_bits(Activation hidden)
    {
        var (x, y) = SeedNetwork.Curve();
        foreach (var output in new[] { Activation.Identity, hidden })
        {
            var specs = new[] { new LayerSpec(1, hidden), new LayerSpec(1, output) };
            Compare<float>(specs, 1, 1, x, y, Online(shuffle: false, rate: 0.05), StepPath.Seed);
            Compare<double>(specs, 1, 1, x, y, Online(shuffle: true, rate: 0.05), StepPath.Seed);
        }
    }

    [Theory]
    [MemberData(nameof(SlopedFromOutput))]
    public void The_fused_loop_gives_the_reference_paths_bits(Activation activation)
    {
        var (x, y) = Table(rows: 50, features: 3, outputs: 2, seed: 31);
        var seedShape = new[] { new LayerSpec(1, activation), new LayerSpec(1, Activation.Identity) };
        var (sx, sy) = SeedNetwork.Curve();
        var noSeedLoop = Online(shuffle: true, rate: 0.05) with { FastPaths = FastPaths.All & ~FastPaths.Seed };
        Compare<float>(seedShape, 1, 1, sx, sy, noSeedLoop, StepPath.Fused);
        Compare<double>(seedShape, 1, 1, sx, sy, noSeedLoop, StepPath.Fused);
        int max = OnlineDescent<double>.MaxWidth;
        LayerSpec[][] shapes =
        [
            [new(2, activation), new(2, Activation.Identity)],
            [new(max, activation), new(max, activation), new(2, Activation.Identity)],
            [new(1, activation), new(3, activation), new(2, activation)],
        ];
        foreach (var specs in shapes)
        {
            Compare<float>(specs, 3, 2, x, y, Online(shuffle: true, rate: 0.02), StepPath.Fused);
            Compare<double>(specs, 3, 2, x, y, Online(shuffle: false, rate: 0.02), StepPath.Fused);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void The_one_row_path_gives_the_reference_paths_bits(Activation activation)
    {
        // Wide enough for the one-row path's vector kernels in either precision, and with what the
        // fused loops leave out: other losses and optimizers, L2, clipping, sample weights.
        const int Features = 19, Outputs = 3, Rows = 30;
        var (x, y) = Table(Rows, Features, Outputs, seed: 32);
        var weights = Enumerable.Range(0, Rows).Select(i => (double)(i % 3)).ToArray();
        LayerSpec[][] shapes =
        [
            [new(17, activation), new(Outputs, Activation.Identity)],
            [new(5, activation), new(18, activation), new(Outputs, Activation.Identity)],
            [new(2, activation), new(Outputs, activation)],
        ];
        var options = new[]
        {
            Online(shuffle: true, rate: 0.01),
            Online(shuffle: true, rate: 0.01) with { Optimizer = OptimizerKind.Momentum, Momentum = 0.5, L2 = 0.01, ClipNorm = 0.5, Loss = LossKind.Huber },
            Online(shuffle: false, rate: 0.01) with { Optimizer = OptimizerKind.Adam, Loss = LossKind.AbsoluteError },
        };
        foreach (var specs in shapes)
        {
            foreach (var o in options)
            {
                Compare<float>(specs, Features, Outputs, x, y, o, StepPath.OneRow);
                Compare<double>(specs, Features, Outputs, x, y, o, StepPath.OneRow, weights);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void A_one_row_batch_gets_the_batched_kernels_bits_from_the_pass(Activation activation)
    {
        // Forward and Backward on one row, with the pass's one-row shortcut on and off: the same
        // predictions, deltas, gradients and input gradients.
        var network = new Network<float>(7, [new LayerSpec(9, activation), new LayerSpec(18, activation), new LayerSpec(2, Activation.Identity)]);
        network.Initialize(new Rng(40));
        var (x, y) = Table(rows: 1, features: 7, outputs: 2, seed: 41);
        var row = network.CreatePass(4);
        var batched = network.CreatePass(4);
        batched.OneRowPath = false;
        foreach (var pass in new[] { row, batched })
        {
            pass.ComputeInputGradients = true;
            pass.Forward(x.Select(v => (float)v).ToArray(), 1);
            pass.Backward(y.Select(v => (float)v).ToArray(), new LossFunction(LossKind.SquaredError));
        }
        Assert.Equal(batched.Activations(2).ToArray(), row.Activations(2).ToArray());
        for (int l = 0; l < 3; l++)
            Assert.Equal(batched.Deltas(l).ToArray(), row.Deltas(l).ToArray());
        Assert.Equal(batched.Gradients, row.Gradients);
        Assert.Equal(batched.InputGradients.ToArray(), row.InputGradients.ToArray());
    }

    private static TrainingOptions Online(bool shuffle, double rate) => ReferencePath.PlainOnline(shuffle, rate, epochs: 3, seed: 11);

    private static (double[] X, double[] Y) Table(int rows, int features, int outputs, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, rows * features).Select(_ => rng.NextDouble(-2, 2)).ToArray();
        var y = Enumerable.Range(0, rows * outputs).Select(_ => rng.NextDouble(-1, 1)).ToArray();
        return (x, y);
    }

    private static void Compare<T>(LayerSpec[] specs, int features, int outputs, double[] x, double[] y, TrainingOptions options, StepPath fast, double[]? weights = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ReferencePath.AssertSameTraining<T>(specs, features, outputs, x, y, weights, initSeed: 5, options, fast);
}
