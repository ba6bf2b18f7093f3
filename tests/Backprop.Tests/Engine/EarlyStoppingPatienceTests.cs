using Backprop.Activations;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Early stopping counts its patience exactly: a run stops `Patience` epochs after its best one.
public class EarlyStoppingPatienceTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public void Early_stopping_stops_patience_epochs_after_the_best(int patience)
    {
        // A big network on few noisy rows overfits, so the validation loss turns up and stays up.
        var all = Datasets.Friedman1(120, seed: 8, noise: 3.0);
        var toData = (DataSet d) => new TrainingData<double>(d.Inputs, d.Targets.Select(v => (v - 14) / 5).ToArray(), 10, 1);
        var train = toData(all.Select(Enumerable.Range(0, 60).ToArray()));
        var validation = toData(all.Select(Enumerable.Range(60, 60).ToArray()));
        var network = Network<double>.Create(10, [128, 128], Activation.Tanh, 1);
        network.Initialize(new Rng(2));
        var trainer = new Trainer<double>(network, new TrainingOptions { LearningRate = 0.01, Epochs = 500, Patience = patience, BatchSize = 8 });
        var result = trainer.Fit(train, validation);
        Assert.Equal(StopReason.EarlyStopping, result.Reason);
        Assert.Equal(result.BestEpoch + patience, result.EpochsRun);
    }
}
