using Backprop.Activations;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Determinism, warm starts, optimizers, early stopping, divergence, budgets and cancellation.
public class TrainingBehaviourTests
{
    // The relu network the divergence tests start from, always from the same weights.
    private static Network<double> SmallRelu()
    {
        var network = Network<double>.Create(10, [16], Activation.Relu, 1);
        network.Initialize(new Rng(1));
        return network;
    }

    private static TrainingData<double> SmallProblem(int rows = 200, ulong seed = 4)
    {
        var data = Datasets.Friedman1(rows, seed);
        var y = data.Targets.Select(v => (v - 14) / 5).ToArray();
        return new TrainingData<double>(data.Inputs, y, 10, 1);
    }

    private static double Loss(Network<double> network, TrainingData<double> data)
    {
        var predictions = new double[data.Rows];
        network.Predict(predictions, data.Inputs, data.Rows);
        return predictions.Zip(data.Targets, (p, y) => 0.5 * (p - y) * (p - y)).Average();
    }

    [Fact]
    public void Same_seed_gives_bit_identical_weights()
    {
        var train = Datasets.Friedman1(600, seed: 3);
        var options = new RegressorOptions { Epochs = 15, Seed = 42 };
        var a = new MlpRegressor(options);
        var b = new MlpRegressor(options);
        a.Fit(train);
        b.Fit(train);
        Assert.Equal(a.GetParameters(), b.GetParameters());
        var c = new MlpRegressor(options with { Seed = 43 });
        c.Fit(train);
        Assert.NotEqual(a.GetParameters(), c.GetParameters());
    }

    [Theory]
    [InlineData(Precision.Single, 256)]
    [InlineData(Precision.Double, 256)]
    [InlineData(Precision.Single, 600)]
    [InlineData(Precision.Double, 600)]
    public void One_and_two_threads_give_bit_identical_weights(Precision precision, int width)
    {
        // Batches of 256 are large enough to split: a 256-wide network into two half-batches, a
        // 600-wide one (over 2^18 weights) inside each product.
        var train = Datasets.Friedman1(1024, seed: 5);
        var options = new RegressorOptions { HiddenLayers = [width, width], BatchSize = 256, Epochs = 3, Seed = 7, Precision = precision, EarlyStopping = false };
        var one = new MlpRegressor(options with { Threads = 1 });
        var two = new MlpRegressor(options with { Threads = 2 });
        one.Fit(train);
        two.Fit(train);
        Assert.Equal(one.GetParameters(), two.GetParameters());
    }

    [Fact]
    public void Warm_started_one_epoch_fits_equal_one_longer_fit()
    {
        var train = Datasets.Friedman1(300, seed: 6);
        var options = new RegressorOptions { Seed = 9, EarlyStopping = false, Optimizer = OptimizerKind.Adam };
        var straight = new MlpRegressor(options with { Epochs = 4 });
        straight.Fit(train);
        var stepwise = new MlpRegressor(options with { Epochs = 1, WarmStart = true });
        for (int k = 0; k < 4; k++)
            stepwise.Fit(train);
        Assert.Equal(straight.GetParameters(), stepwise.GetParameters());
        Assert.Equal(4, stepwise.History.Epochs.Count);
        Assert.Equal(straight.History.Epochs.Select(e => e.TrainLoss), stepwise.History.Epochs.Select(e => e.TrainLoss));
    }

    [Theory]
    [InlineData(OptimizerKind.GradientDescent, 0.05, 32)]
    [InlineData(OptimizerKind.Momentum, 0.01, 32)]
    [InlineData(OptimizerKind.Nesterov, 0.01, 32)]
    [InlineData(OptimizerKind.Adam, 0.003, 32)]
    [InlineData(OptimizerKind.AdamW, 0.003, 32)]
    [InlineData(OptimizerKind.Lbfgs, 1.0, 32)]
    [InlineData(OptimizerKind.Rprop, 1.0, 1000)]
    public void Every_optimizer_lowers_the_loss(OptimizerKind optimizer, double rate, int batch)
    {
        var data = SmallProblem();
        var network = Network<double>.Create(10, [16], Activation.Tanh, 1);
        network.Initialize(new Rng(1));
        double before = Loss(network, data);
        var trainer = new Trainer<double>(network, new TrainingOptions { Optimizer = optimizer, LearningRate = rate, BatchSize = batch, Epochs = 30, EarlyStopping = false });
        var result = trainer.Fit(data);
        double after = Loss(network, data);
        Assert.True(after < 0.7 * before, $"{optimizer}: loss {before:F4} -> {after:F4} ({result.Reason})");
        Assert.All(trainer.History.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && e.GradientNorm >= 0 && e.LearningRate > 0));
    }

    [Fact]
    public void Lbfgs_beats_fifty_epochs_of_gradient_descent_on_the_seed_problem()
    {
        var (x, y) = SeedNetwork.Curve();
        var data = new TrainingData<double>(x, y, 1, 1);
        var sgd = SeedNetwork.Create<double>(Activation.Sigmoid);
        new Trainer<double>(sgd, new TrainingOptions { Optimizer = OptimizerKind.GradientDescent, LearningRate = 0.05, BatchSize = 1, Shuffle = false, Epochs = 50, EarlyStopping = false }).Fit(data);
        var lbfgs = SeedNetwork.Create<double>(Activation.Sigmoid);
        var trainer = new Trainer<double>(lbfgs, new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, Epochs = 100, EarlyStopping = false });
        trainer.Fit(data);
        Assert.True(Loss(lbfgs, data) < Loss(sgd, data), $"L-BFGS {Loss(lbfgs, data):E3}, GD {Loss(sgd, data):E3}");
        // Every accepted L-BFGS iteration lowers the loss.
        var losses = trainer.History.Epochs.Select(e => e.TrainLoss).ToArray();
        for (int i = 1; i < losses.Length; i++)
            Assert.True(losses[i] <= losses[i - 1], $"iteration {i + 1} raised the loss");
    }

    [Fact]
    public void Early_stopping_restores_the_best_epochs_weights()
    {
        // A big network on few noisy rows overfits, so validation loss turns up and training stops.
        var all = Datasets.Friedman1(120, seed: 8, noise: 3.0);
        var train = all.Select(Enumerable.Range(0, 60).ToArray());
        var validation = all.Select(Enumerable.Range(60, 60).ToArray());
        var toDouble = (DataSet d) => new TrainingData<double>(d.Inputs, d.Targets.Select(v => (v - 14) / 5).ToArray(), 10, 1);
        var network = Network<double>.Create(10, [128, 128], Activation.Tanh, 1);
        network.Initialize(new Rng(2));
        var trainer = new Trainer<double>(network, new TrainingOptions { LearningRate = 0.01, Epochs = 500, Patience = 15, BatchSize = 8 });
        var result = trainer.Fit(toDouble(train), toDouble(validation));
        Assert.Equal(StopReason.EarlyStopping, result.Reason);
        Assert.True(result.Converged);
        var best = trainer.History.Epochs.MinBy(e => e.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.True(result.EpochsRun > result.BestEpoch);
        Assert.Equal(best.ValidationLoss!.Value, Loss(network, toDouble(validation)), 1e-12);
    }

    [Fact]
    public void A_diverging_run_stops_keeps_good_weights_and_says_lower_the_learning_rate()
    {
        var data = SmallProblem();
        var network = SmallRelu();
        var trainer = new Trainer<double>(network, new TrainingOptions { Optimizer = OptimizerKind.GradientDescent, LearningRate = 50, Schedule = ScheduleKind.Constant, BatchSize = 200, Epochs = 100, EarlyStopping = false });
        var result = trainer.Fit(data);
        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.False(result.Converged);
        Assert.Contains("lower the learning rate", result.Hint);
        Assert.All(network.Parameters, p => Assert.True(double.IsFinite(p)));
        Assert.All(trainer.History.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
    }

    [Fact]
    public void A_run_that_ends_far_above_where_it_started_is_reported_as_diverged_though_finite()
    {
        var data = SmallProblem();
        var network = SmallRelu();
        double before = Loss(network, data);
        // Adam's steps are about the learning rate whatever the gradient: with 1e6 the loss leaps by
        // orders of magnitude, every value of it finite.
        var trainer = new Trainer<double>(network, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e6, Schedule = ScheduleKind.Constant, BatchSize = 32, Epochs = 10, EarlyStopping = false });
        var result = trainer.Fit(data);
        Assert.All(trainer.History.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
        Assert.True(Loss(network, data) > 2 * before);
        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.False(result.Converged);
        Assert.Contains("more than 2 times the", result.Hint);
        Assert.Contains("lower the learning rate (now 1E+06, try 1E+05)", result.Hint);
    }

    [Fact]
    public void A_streamed_run_is_compared_on_its_validation_rows()
    {
        var data = SmallProblem();
        var network = SmallRelu();
        var options = new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e6, Schedule = ScheduleKind.Constant, BatchSize = 32, Epochs = 10, EarlyStopping = false };
        var withValidation = new Trainer<double>(network, options).FitStream(() => [data], validation: data);
        Assert.Equal(StopReason.Diverged, withValidation.Reason);
        Assert.Contains("more than 2 times the", withValidation.Hint);
        // Without validation rows a stream has nothing held in memory to compare on.
        var without = new Trainer<double>(SmallRelu(), options).FitStream(() => [data]);
        Assert.NotEqual(StopReason.Diverged, without.Reason);
    }

    [Fact]
    public void A_run_that_ends_below_twice_its_starting_loss_is_not_diverged()
    {
        var data = SmallProblem();
        var network = SmallRelu();
        // A vanishing learning rate leaves the model where it started: the check must not fire on a
        // run that did not get worse.
        var trainer = new Trainer<double>(network, new TrainingOptions { Optimizer = OptimizerKind.GradientDescent, LearningRate = 1e-12, Schedule = ScheduleKind.Constant, BatchSize = 32, Epochs = 3, EarlyStopping = false });
        var result = trainer.Fit(data);
        Assert.NotEqual(StopReason.Diverged, result.Reason);
    }

    [Fact]
    public void Hitting_the_epoch_limit_while_improving_reports_not_converged_once()
    {
        var data = SmallProblem();
        var network = Network<double>.Create(10, [16], Activation.Tanh, 1);
        network.Initialize(new Rng(1));
        var result = new Trainer<double>(network, new TrainingOptions { Epochs = 3, EarlyStopping = false }).Fit(data);
        Assert.Equal(StopReason.EpochLimit, result.Reason);
        Assert.False(result.Converged);
        Assert.Contains("raise the number of epochs", result.Hint);
    }

    [Fact]
    public void Cancellation_and_time_budget_stop_cleanly()
    {
        var data = SmallProblem(2000);
        using var cts = new CancellationTokenSource();
        var network = Network<double>.Create(10, [32], Activation.Tanh, 1);
        network.Initialize(new Rng(1));
        var trainer = new Trainer<double>(network, new TrainingOptions { Epochs = 10_000, EarlyStopping = false, BatchSize = 16 });
        var progress = new CallbackProgress(e => { if (e.Epoch == 3) cts.Cancel(); });
        var result = trainer.Fit(data, null, progress, cts.Token);
        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.Equal(3, trainer.EpochsCompleted);
        Assert.All(network.Parameters, p => Assert.True(double.IsFinite(p)));

        var timed = new Trainer<double>(network, new TrainingOptions { Epochs = 100_000, EarlyStopping = false, TimeBudget = TimeSpan.FromMilliseconds(300) });
        var timedResult = timed.Fit(data);
        Assert.Equal(StopReason.TimeBudget, timedResult.Reason);
        Assert.True(timedResult.EpochsRun < 100_000);
    }

    [Fact]
    public void Schedules_shape_the_learning_rate_and_clipping_bounds_the_step()
    {
        var data = SmallProblem();
        double[] Rates(TrainingOptions o)
        {
            var network = Network<double>.Create(10, [4], Activation.Tanh, 1);
            network.Initialize(new Rng(1));
            var t = new Trainer<double>(network, o with { Epochs = 12, EarlyStopping = false, LearningRate = 0.1, Optimizer = OptimizerKind.GradientDescent, BatchSize = 200 });
            t.Fit(data);
            return t.History.Epochs.Select(e => e.LearningRate).ToArray();
        }
        Assert.All(Rates(new TrainingOptions { Schedule = ScheduleKind.Constant }), r => Assert.Equal(0.1, r));
        Assert.Equal(0.1 / Math.Sqrt(4), Rates(new TrainingOptions { Schedule = ScheduleKind.InverseScaling })[3], 1e-15);
        Assert.Equal(0.05, Rates(new TrainingOptions { Schedule = ScheduleKind.StepDecay, StepSize = 5, Gamma = 0.5 })[7], 1e-15);
        var cosine = Rates(new TrainingOptions { Schedule = ScheduleKind.Cosine });
        Assert.Equal(0.1, cosine[0], 1e-15);
        Assert.Equal(0.05, cosine[6], 1e-12);
        Assert.True(cosine[11] < 0.01);
        var plateau = Rates(new TrainingOptions { Schedule = ScheduleKind.ReduceOnPlateau, PlateauPatience = 0, Tolerance = 10 });
        Assert.True(plateau[^1] < 0.1, "reduce-on-plateau never reduced");

        var clipped = Network<double>.Create(10, [4], Activation.Tanh, 1);
        clipped.Initialize(new Rng(1));
        var before = clipped.Parameters.ToArray();
        new Trainer<double>(clipped, new TrainingOptions { Epochs = 1, BatchSize = 200, EarlyStopping = false, Optimizer = OptimizerKind.GradientDescent, LearningRate = 1, ClipNorm = 0.01 }).Fit(data);
        double moved = Math.Sqrt(before.Zip(clipped.Parameters, (a, b) => (a - b) * (a - b)).Sum());
        Assert.True(moved <= 0.01 + 1e-12, $"a clipped step moved {moved}");
    }

    [Fact]
    public void Sample_weights_act_like_repeated_rows()
    {
        // Weight 2 on a row is the same objective as that row twice (full batch, no shuffle).
        var x = new[] { 0.1, -0.4, 0.9, 0.3 };
        var y = new[] { 0.5, -0.1, 0.2, 0.7 };
        var weighted = new TrainingData<double>(x, y, 1, 1, [2.0, 1.0, 1.0, 1.0]);
        var repeated = new TrainingData<double>([0.1, 0.1, -0.4, 0.9, 0.3], [0.5, 0.5, -0.1, 0.2, 0.7], 1, 1);
        var options = new TrainingOptions { Epochs = 5, BatchSize = 100, Shuffle = false, EarlyStopping = false, Optimizer = OptimizerKind.GradientDescent, LearningRate = 0.1 };
        var a = Network<double>.Create(1, [3], Activation.Tanh, 1);
        a.Initialize(new Rng(3));
        var b = a.Clone();
        new Trainer<double>(a, options).Fit(weighted);
        new Trainer<double>(b, options).Fit(repeated);
        for (int i = 0; i < a.Parameters.Length; i++)
            Assert.Equal(b.Parameters[i], a.Parameters[i], 1e-14);
    }

    private sealed class CallbackProgress(Action<EpochRecord> action) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => action(value);
    }
}
