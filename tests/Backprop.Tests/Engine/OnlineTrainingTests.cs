using Backprop.Activations;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Online training (batch size 1) takes its own path through the trainer: each row read in place,
// one fused forward, loss and backward. Here it is checked against a plain loop that feeds every
// row twice as a batch of two, which takes the batched kernels and gives the same mean gradient.
public class OnlineTrainingTests
{
    [Theory]
    [InlineData(Activation.Sigmoid, LossKind.SquaredError, false)]
    [InlineData(Activation.Tanh, LossKind.Huber, true)]
    [InlineData(Activation.Relu, LossKind.AbsoluteError, true)]
    public void Online_steps_match_a_plain_batched_loop(Activation activation, LossKind lossKind, bool shuffle)
    {
        const int Rows = 40, Features = 3, Outputs = 2, Epochs = 3;
        const double L2 = 0.01, Clip = 0.5, Rate = 0.05, Momentum = 0.5;
        var rng = new Rng(21);
        var x = Enumerable.Range(0, Rows * Features).Select(_ => rng.NextDouble(-1, 1)).ToArray();
        var y = Enumerable.Range(0, Rows * Outputs).Select(_ => rng.NextDouble(-1, 1)).ToArray();
        // Whole-number weights, some zero: zero-weight rows are skipped, the others' weights cancel out.
        var w = Enumerable.Range(0, Rows).Select(i => (double)(i % 4)).ToArray();
        var options = ReferencePath.PlainOnline(shuffle, Rate, Epochs, seed: 5) with
        {
            Optimizer = OptimizerKind.Momentum,
            Momentum = Momentum,
            Loss = lossKind,
            L2 = L2,
            ClipNorm = Clip,
        };

        var network = Network<double>.Create(Features, [5, 4], activation, Outputs);
        network.Initialize(new Rng(3));
        var reference = network.Clone();
        var trainer = new Trainer<double>(network, options);
        var shuffler = new Rng(0) { State = trainer.Rng.State };
        trainer.Fit(new TrainingData<double>(x, y, Features, Outputs, w));

        var pass = reference.CreatePass(2);
        var optimizer = new GradientDescent<double>(reference.Parameters.Length, Momentum);
        var loss = new LossFunction(lossKind);
        var order = Enumerable.Range(0, Rows).ToArray();
        var firstEpochLoss = 0.0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            if (shuffle)
                shuffler.Shuffle(order);
            double lossSum = 0, weightSum = 0;
            foreach (int row in order)
            {
                if (w[row] == 0)
                    continue;
                var xr = x.AsSpan(row * Features, Features).ToArray();
                var yr = y.AsSpan(row * Outputs, Outputs).ToArray();
                pass.Forward(xr.Concat(xr).ToArray(), 2);
                lossSum += w[row] * pass.Backward(yr.Concat(yr).ToArray(), loss, [w[row], w[row]]);
                weightSum += w[row];
                var g = pass.Gradients;
                foreach (var layer in reference.Layers)
                {
                    for (int i = layer.WeightOffset; i < layer.BiasOffset; i++)
                        g[i] += L2 * reference.Parameters[i];
                }
                double norm = Math.Sqrt(g.Sum(v => v * v));
                if (norm > Clip)
                {
                    for (int i = 0; i < g.Length; i++)
                        g[i] *= Clip / norm;
                }
                optimizer.Step(reference.Parameters, g, Rate);
            }
            if (epoch == 0)
                firstEpochLoss = lossSum / weightSum;
        }

        Assert.Equal(firstEpochLoss, trainer.History.Epochs[0].TrainLoss, 1e-9);
        for (int i = 0; i < network.Parameters.Length; i++)
            Assert.Equal(reference.Parameters[i], network.Parameters[i], 1e-9);
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Relu)]
    public void A_row_gets_the_same_prediction_bits_alone_and_in_a_batch(Activation activation)
    {
        // The one-row forward and the batched kernels share their arithmetic, activations included.
        var network = Network<float>.Create(6, [7, 3], activation, 2);
        network.Initialize(new Rng(12));
        var rng = new Rng(13);
        const int Rows = 37;
        var x = Enumerable.Range(0, Rows * 6).Select(_ => (float)rng.NextDouble(-2, 2)).ToArray();
        var batch = new float[Rows * 2];
        network.Predict(batch, x, Rows);
        var alone = new float[2];
        for (int r = 0; r < Rows; r++)
        {
            network.Predict(alone, x.AsSpan(r * 6, 6), 1);
            Assert.Equal(batch.AsSpan(r * 2, 2).ToArray(), alone);
        }
    }
}
