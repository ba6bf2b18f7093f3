using Backprop.Training;

namespace Backprop.Tests.Engine;

// The stopping policy on its own: sequences of epoch losses in, decisions and hints out; no training.
public class StoppingPolicyTests
{
    private static readonly TrainingOptions Options = new() { Epochs = 10, Patience = 3, Tolerance = 0.01, LearningRate = 0.5 };

    // Feeds one monitored loss per epoch from a run that started after `start` epochs; returns which epochs improved.
    private static bool[] Feed(StoppingPolicy policy, double[] losses, int start = 0, bool validated = true, bool moved = true) =>
        losses.Select((loss, i) => policy.AfterEpoch(start + i + 1, loss, moved, validated)).ToArray();

    [Fact]
    public void Stops_early_after_patience_epochs_without_an_improvement_larger_than_the_tolerance()
    {
        var policy = new StoppingPolicy(Options, epochsCompleted: 0, startLoss: double.NaN);
        // 0.895 is below the best (0.9) but not by more than the tolerance: it does not count.
        bool[] improved = Feed(policy, [1.0, 0.9, 0.895, 0.95]);
        Assert.Equal([true, true, false, false], improved);
        Assert.Null(policy.Finished);
        Assert.Null(policy.BeforeEpoch(cancelled: false, TimeSpan.Zero));

        Assert.False(policy.AfterEpoch(5, 0.92, moved: true, validated: true));
        Assert.Equal(StopReason.EarlyStopping, policy.Finished);
        Assert.Equal(StopReason.EarlyStopping, policy.BeforeEpoch(cancelled: false, TimeSpan.Zero));
        Assert.Equal((5, 2, 0.9, 3), (policy.Epochs, policy.BestEpoch, policy.BestLoss, policy.Stale));

        Assert.True(policy.KeepsBest(StopReason.EarlyStopping, validated: true, epochsCompleted: 5));
        var result = policy.Result(StopReason.EarlyStopping, epochsCompleted: 5, keptBest: true, endLoss: null);
        Assert.Equal(new TrainingResult(StopReason.EarlyStopping, 5, 2, true, null), result);
    }

    [Fact]
    public void Without_validation_or_early_stopping_a_stall_ends_at_the_epoch_limit_as_converged()
    {
        foreach (var (options, validated) in new[] { (Options, false), (Options with { EarlyStopping = false }, true) })
        {
            var policy = new StoppingPolicy(options, 0, double.NaN);
            Feed(policy, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], validated: validated);
            Assert.Null(policy.Finished);
            Assert.False(policy.LossStillFalling);
            Assert.Equal(StopReason.EpochLimit, policy.BeforeEpoch(false, TimeSpan.Zero));
            Assert.False(policy.KeepsBest(StopReason.EpochLimit, validated: false, 10));
            var result = policy.Result(StopReason.EpochLimit, 10, keptBest: false, endLoss: null);
            Assert.Equal(new TrainingResult(StopReason.EpochLimit, 10, 10, true, null), result);
        }
    }

    [Fact]
    public void A_loss_still_falling_at_the_epoch_limit_is_not_converged_and_says_to_train_longer()
    {
        var policy = new StoppingPolicy(Options, epochsCompleted: 4, startLoss: double.NaN);
        Feed(policy, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], start: 4);
        Assert.Equal(StopReason.EpochLimit, policy.BeforeEpoch(false, TimeSpan.Zero));
        var result = policy.Result(StopReason.EpochLimit, epochsCompleted: 14, keptBest: true, endLoss: null);
        Assert.Equal((StopReason.EpochLimit, 10, 14, false), (result.Reason, result.EpochsRun, result.BestEpoch, result.Converged));
        Assert.Equal("the loss was still falling after 14 epochs; raise the number of epochs or the learning rate.", result.Hint);
    }

    [Fact]
    public void An_optimizer_that_cannot_move_has_converged()
    {
        var policy = new StoppingPolicy(Options with { Optimizer = OptimizerKind.Lbfgs }, 0, double.NaN);
        Assert.True(policy.AfterEpoch(1, 0.5, moved: false, validated: false));
        Assert.Equal(StopReason.Converged, policy.Finished);
        Assert.Equal(new TrainingResult(StopReason.Converged, 1, 1, true, null), policy.Result(StopReason.Converged, 1, keptBest: false, endLoss: null));
    }

    [Fact]
    public void Before_an_epoch_a_finished_run_then_the_epoch_limit_then_cancellation_then_the_budget_stop_it()
    {
        var budgeted = Options with { TimeBudget = TimeSpan.FromSeconds(1) };
        var policy = new StoppingPolicy(budgeted, 0, double.NaN);
        Assert.Null(policy.BeforeEpoch(false, TimeSpan.FromSeconds(0.5)));
        Assert.Equal(StopReason.TimeBudget, policy.BeforeEpoch(false, TimeSpan.FromSeconds(1)));
        Assert.Equal(StopReason.Cancelled, policy.BeforeEpoch(true, TimeSpan.FromSeconds(1)));
        Assert.Null(new StoppingPolicy(Options, 0, double.NaN).BeforeEpoch(false, TimeSpan.FromDays(1)));

        Feed(policy, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        Assert.Equal(StopReason.EpochLimit, policy.BeforeEpoch(true, TimeSpan.FromSeconds(2)));

        var converged = new StoppingPolicy(budgeted, 0, double.NaN);
        converged.AfterEpoch(1, 1, moved: false, validated: false);
        Assert.Equal(StopReason.Converged, converged.BeforeEpoch(true, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void A_time_budget_that_runs_out_says_to_allow_more_time()
    {
        var policy = new StoppingPolicy(Options with { TimeBudget = TimeSpan.FromSeconds(1) }, 0, double.NaN);
        Feed(policy, [3, 2]);
        var result = policy.Result(StopReason.TimeBudget, 2, keptBest: true, endLoss: null);
        Assert.False(result.Converged);
        Assert.Equal("the time budget ran out while the loss was still falling; allow more time or raise the learning rate.", result.Hint);
    }

    [Fact]
    public void A_loss_that_is_not_finite_has_diverged()
    {
        Assert.False(StoppingPolicy.Diverged(1.5, null));
        Assert.False(StoppingPolicy.Diverged(1.5, 2.5));
        Assert.True(StoppingPolicy.Diverged(double.NaN, null));
        Assert.True(StoppingPolicy.Diverged(double.PositiveInfinity, 1));
        Assert.True(StoppingPolicy.Diverged(1, double.NaN));
        Assert.True(StoppingPolicy.Diverged(1, double.NegativeInfinity));

        var policy = new StoppingPolicy(Options, 0, startLoss: 1);
        Feed(policy, [0.5]);
        Assert.False(policy.ComparesEnd(StopReason.Diverged));
        Assert.False(policy.KeepsBest(StopReason.Diverged, validated: true, 1));
        var result = policy.Result(StopReason.Diverged, 1, keptBest: false, endLoss: null);
        Assert.Equal((StopReason.Diverged, false), (result.Reason, result.Converged));
        Assert.StartsWith("the loss became NaN or infinite; lower the learning rate (now ", result.Hint);
        Assert.EndsWith(") or set a gradient clipping norm.", result.Hint);
    }

    [Fact]
    public void A_run_that_ends_more_than_twice_as_high_as_it_started_has_diverged()
    {
        var policy = new StoppingPolicy(Options, 0, startLoss: 1);
        Feed(policy, [0.5, 0.4]);
        Assert.True(policy.ComparesEnd(StopReason.EpochLimit));
        // Up to 2 * 1 + the tolerance is still within bounds.
        Assert.Equal(StopReason.EpochLimit, policy.Result(StopReason.EpochLimit, 2, true, endLoss: 2.005).Reason);

        var result = policy.Result(StopReason.EpochLimit, 2, keptBest: true, endLoss: 3);
        Assert.Equal((StopReason.Diverged, false), (result.Reason, result.Converged));
        Assert.StartsWith("the loss ended at 3, more than 2 times the 1 it started from; lower the learning rate", result.Hint);

        var unrated = new StoppingPolicy(Options with { Optimizer = OptimizerKind.Rprop }, 0, startLoss: 1);
        Feed(unrated, [0.5]);
        Assert.Equal(
            "the loss ended at 3, more than 2 times the 1 it started from; check the data's scale (standardize inputs and targets) or add an L2 penalty.",
            unrated.Result(StopReason.EpochLimit, 1, keptBest: false, endLoss: 3).Hint);
        Assert.Equal(StopReason.Diverged, unrated.Result(StopReason.EpochLimit, 1, keptBest: false, endLoss: double.NaN).Reason);
    }

    [Fact]
    public void A_run_that_ends_above_its_start_says_to_lower_the_rate_unless_the_rate_does_not_steer_it()
    {
        var policy = new StoppingPolicy(Options, 0, startLoss: 1);
        Feed(policy, [0.5, 0.4]);
        var result = policy.Result(StopReason.EpochLimit, 2, keptBest: true, endLoss: 1.5);
        Assert.Equal(StopReason.EpochLimit, result.Reason);
        Assert.StartsWith("the loss ended at 1", result.Hint);
        Assert.Contains("above the 1 it started from; lower the learning rate (now ", result.Hint);

        // Within the tolerance of the start is no worse.
        Assert.Null(policy.Result(StopReason.EarlyStopping, 2, true, endLoss: 1.005).Hint);

        var unrated = new StoppingPolicy(Options with { Optimizer = OptimizerKind.Lbfgs }, 0, startLoss: 1);
        Feed(unrated, [0.5, 0.4], moved: false);
        Assert.Null(unrated.Result(StopReason.Converged, 1, true, endLoss: 1.5).Hint);
    }

    [Fact]
    public void The_end_is_compared_with_the_start_only_after_epochs_from_a_known_start_that_neither_diverged_nor_was_cancelled()
    {
        var unmeasured = new StoppingPolicy(Options, 0, startLoss: double.NaN);
        Feed(unmeasured, [1]);
        Assert.False(unmeasured.ComparesEnd(StopReason.EpochLimit));

        var measured = new StoppingPolicy(Options, 0, startLoss: 1);
        Assert.False(measured.ComparesEnd(StopReason.TimeBudget)); // no epoch yet
        Feed(measured, [1]);
        Assert.True(measured.ComparesEnd(StopReason.TimeBudget));
        Assert.True(measured.ComparesEnd(StopReason.EarlyStopping));
        Assert.False(measured.ComparesEnd(StopReason.Cancelled));
        Assert.False(measured.ComparesEnd(StopReason.Diverged));
    }

    [Fact]
    public void The_best_epoch_is_kept_only_with_validation_after_an_epoch_that_improved()
    {
        var policy = new StoppingPolicy(Options, epochsCompleted: 0, double.NaN);
        Assert.False(policy.KeepsBest(StopReason.Cancelled, validated: true, epochsCompleted: 0));
        Feed(policy, [1, 2]);
        Assert.True(policy.KeepsBest(StopReason.Cancelled, validated: true, epochsCompleted: 2));
        Assert.False(policy.KeepsBest(StopReason.Cancelled, validated: false, epochsCompleted: 2));
        Assert.Equal(1, policy.Result(StopReason.Cancelled, 2, keptBest: true, null).BestEpoch);
        Assert.Equal(2, policy.Result(StopReason.Cancelled, 2, keptBest: false, null).BestEpoch);
    }

    [Fact]
    public void A_run_resumed_from_its_checkpoint_decides_as_the_uninterrupted_run()
    {
        double[] losses = [5, 4, 4.5, 3, 3.2, 3.1, 3.05, 3.3];
        var whole = new StoppingPolicy(Options, 0, startLoss: 6);
        bool[] expected = Feed(whole, losses);

        var first = new StoppingPolicy(Options, 0, startLoss: 6);
        bool[] before = Feed(first, losses[..5]);
        var state = first.AddTo(new TrainerState { EpochsCompleted = 5 });
        var resumed = StoppingPolicy.Resume(Options, state);
        Assert.Equal((first.Epochs, first.BestEpoch, first.BestLoss, first.Stale, first.StartLoss), (resumed.Epochs, resumed.BestEpoch, resumed.BestLoss, resumed.Stale, resumed.StartLoss));
        bool[] after = Feed(resumed, losses[5..], start: 5);

        Assert.Equal(expected, before.Concat(after));
        Assert.Equal(StopReason.EarlyStopping, whole.Finished);
        Assert.Equal(whole.Finished, resumed.Finished);
        Assert.Equal(whole.Result(StopReason.EarlyStopping, 8, true, 3.3), resumed.Result(StopReason.EarlyStopping, 8, true, 3.3));
    }
}
