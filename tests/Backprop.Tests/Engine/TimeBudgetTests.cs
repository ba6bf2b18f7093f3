using System.Diagnostics;
using Backprop.Activations;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// The wall-clock budget ends a run soon after it runs out, whether that falls between epochs or
// inside one (it is checked before every step), on each path an epoch can take.
public class TimeBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(300);

    // How late a run may end: the step under way when the budget runs out, the run's closing
    // evaluation, and a busy shared machine's scheduling. Ten times the budget, and still well
    // short of a run that let its budget slip to 20 times (6 s).
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Theory]
    // A long epoch has two hidden layers of 256 on 200,000 rows: some 10^11 flops, seconds even on
    // a fast machine, so the run must stop inside its first epoch. With one layer of 32 an epoch
    // can end within the slack and hide a budget checked only between epochs.
    [InlineData(OptimizerKind.GradientDescent, 1, 200_000, true)]   // one long epoch: stops inside it, one row at a time
    [InlineData(OptimizerKind.Adam, 16, 200_000, true)]             // the same in the mini-batch loop
    [InlineData(OptimizerKind.Adam, 16, 300, false)]                // many short epochs
    [InlineData(OptimizerKind.Lbfgs, 32, 2000, false)]              // L-BFGS, checked between iterations
    public void A_run_stops_soon_after_its_budget_runs_out(OptimizerKind optimizer, int batch, int rows, bool longEpoch)
    {
        var source = Datasets.Friedman1(rows, seed: 6);
        var data = new TrainingData<double>(source.Inputs, source.Targets.Select(v => (v - 14) / 5).ToArray(), 10, 1);
        var network = Network<double>.Create(10, longEpoch ? [256, 256] : [32], Activation.Tanh, 1);
        network.Initialize(new Rng(3));
        var trainer = new Trainer<double>(network, new TrainingOptions
        {
            Optimizer = optimizer,
            LearningRate = optimizer == OptimizerKind.Lbfgs ? 1.0 : 0.001,
            BatchSize = batch,
            Epochs = 1_000_000,
            EarlyStopping = false,
            Patience = 1_000_000,
            TimeBudget = Budget,
        });

        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(data);
        clock.Stop();

        Assert.Equal(StopReason.TimeBudget, result.Reason);
        Assert.True(clock.Elapsed >= Budget, $"stopped after {clock.Elapsed.TotalMilliseconds:F0} ms, before the budget ran out");
        Assert.True(clock.Elapsed < Budget + Slack, $"stopped after {clock.Elapsed.TotalMilliseconds:F0} ms on a {Budget.TotalMilliseconds:F0} ms budget");
        if (longEpoch)
            Assert.Equal(0, result.EpochsRun); // stopped inside the first epoch, not after it
        Assert.All(network.Parameters, p => Assert.True(double.IsFinite(p)));
    }
}
