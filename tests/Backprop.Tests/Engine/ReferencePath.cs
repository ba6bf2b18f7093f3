using Backprop.Layers;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Trains one network from one start twice, once with the fast paths training chooses and once with
// them all off (the reference path, NetworkPass.Forward and Backward over each batch), and asserts
// that the two runs end with the same weights, losses and step counts.
internal static class ReferencePath
{
    // The seed's way of training: plain gradient descent on one row at a time, one thread.
    public static TrainingOptions PlainOnline(bool shuffle, double rate, int epochs, ulong seed) => new()
    {
        Epochs = epochs,
        BatchSize = 1,
        Shuffle = shuffle,
        Optimizer = OptimizerKind.GradientDescent,
        LearningRate = rate,
        EarlyStopping = false,
        Seed = seed,
        Threads = 1,
    };

    public static StepPath PathFor<T>(Network<T> network, TrainingOptions options, TrainingData<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        StepPaths.Select(network, new Trainer<T>(network.Clone(), options).Optimizer, options, data, Math.Min(options.BatchSize, data.Rows));

    // The same, for a network of specs started from Rng(initSeed) on rows given in double.
    public static (TrainingResult Fast, TrainingResult Reference) AssertSameTraining<T>(LayerSpec[] specs, int features, int outputs, double[] x, double[] y, double[]? weights,
        ulong initSeed, TrainingOptions options, StepPath fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = new Network<T>(features, specs);
        start.Initialize(new Rng(initSeed));
        var data = new TrainingData<T>(x.Select(T.CreateTruncating).ToArray(), y.Select(T.CreateTruncating).ToArray(), features, outputs,
            weights?.Select(T.CreateTruncating).ToArray());
        return AssertSameTraining(start, data, options, fast);
    }

    // fast: the path the options must choose. Norms are compared up to the order of their sums,
    // which the fused loops sum as they go.
    public static (TrainingResult Fast, TrainingResult Reference) AssertSameTraining<T>(Network<T> start, TrainingData<T> data, TrainingOptions options, StepPath fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reference = options with { FastPaths = FastPaths.None };
        Assert.Equal(fast, PathFor(start, options, data));
        Assert.Equal(StepPath.Batched, PathFor(start, reference, data));

        var fastNetwork = start.Clone();
        var fastTrainer = new Trainer<T>(fastNetwork, options);
        var fastResult = fastTrainer.Fit(data);
        var referenceNetwork = start.Clone();
        var referenceTrainer = new Trainer<T>(referenceNetwork, reference);
        var referenceResult = referenceTrainer.Fit(data);

        Assert.Equal(referenceNetwork.Parameters, fastNetwork.Parameters);
        Assert.Equal(referenceTrainer.Optimizer!.Steps, fastTrainer.Optimizer!.Steps);
        Assert.Equal(referenceTrainer.History.Epochs.Count, fastTrainer.History.Epochs.Count);
        for (int e = 0; e < fastTrainer.History.Epochs.Count; e++)
        {
            var (f, r) = (fastTrainer.History.Epochs[e], referenceTrainer.History.Epochs[e]);
            Assert.Equal(r.TrainLoss, f.TrainLoss);
            Assert.Equal(r.GradientNorm, f.GradientNorm, 1e-12 * Math.Abs(r.GradientNorm));
        }
        return (fastResult, referenceResult);
    }
}
