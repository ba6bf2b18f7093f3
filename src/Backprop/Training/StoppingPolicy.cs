namespace Backprop.Training;

/// <summary>
/// When a run stops and what it tells the user. A run ends at the epoch limit; after
/// <see cref="TrainingOptions.Patience"/> epochs without an improvement larger than
/// <see cref="TrainingOptions.Tolerance"/> in the monitored loss (validation, else training) when
/// early stopping is on and there is validation; when the optimizer can no longer move; on the time
/// budget or cancellation. It has diverged when a loss turns NaN or infinite, or when its end is
/// more than <see cref="DivergedGrowth"/> times its start. When the stop calls for a change of
/// options, the result carries a one-sentence hint.
/// </summary>
/// <remarks>
/// One instance is one run's progress (epochs, best epoch, epochs without improvement, start
/// loss), which a checkpoint carries so that a resumed run stops exactly where the uninterrupted
/// one would. It decides from losses alone: the weights are the trainer's.
/// </remarks>
internal sealed class StoppingPolicy
{
    /// <summary>
    /// A run whose loss on the sample ends above this many times where it started has diverged,
    /// even if every loss stayed finite: it made the model worse, and the learning rate is the usual cause.
    /// </summary>
    public const double DivergedGrowth = 2;

    private readonly TrainingOptions _options;

    /// <summary>A new run, starting after <paramref name="epochsCompleted"/> epochs with the loss <paramref name="startLoss"/> on the sample (NaN: not measured).</summary>
    public StoppingPolicy(TrainingOptions options, int epochsCompleted, double startLoss)
    {
        _options = options;
        BestEpoch = epochsCompleted;
        StartLoss = startLoss;
    }

    /// <summary>Epochs completed in this run.</summary>
    public int Epochs { get; private set; }

    /// <summary>The lowest monitored loss so far (infinity before the first epoch).</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The epoch (counted across runs) of <see cref="BestLoss"/>, or the epoch the run started after.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int Stale { get; private set; }

    /// <summary>False once the monitored loss has gone <see cref="TrainingOptions.Patience"/> epochs without improving.</summary>
    public bool LossStillFalling { get; private set; } = true;

    /// <summary>The loss on the sample rows before the run's first epoch (NaN when not measured).</summary>
    public double StartLoss { get; }

    /// <summary>Why the run stopped after its last epoch (early stopping, convergence), or null while it goes on.</summary>
    public StopReason? Finished { get; private set; }

    /// <summary>The run a checkpoint was taken in.</summary>
    public static StoppingPolicy Resume(TrainingOptions options, TrainerState state) =>
        new(options, state.BestEpoch, state.StartLoss)
        {
            Epochs = state.RunEpochs,
            Finished = state.RunStopReason,
            BestLoss = state.BestLoss,
            Stale = state.Stale,
            LossStillFalling = state.LossStillFalling,
        };

    /// <summary>Adds this run's progress to a checkpoint's state.</summary>
    public TrainerState AddTo(TrainerState state) => state with
    {
        RunEpochs = Epochs,
        RunStopReason = Finished,
        BestLoss = BestLoss,
        BestEpoch = BestEpoch,
        Stale = Stale,
        LossStillFalling = LossStillFalling,
        StartLoss = StartLoss,
    };

    /// <summary>Why the run must not begin another epoch, or null when it goes on.</summary>
    /// <param name="cancelled">Whether the caller has asked to stop.</param>
    /// <param name="elapsed">The run's time so far, checked against the time budget.</param>
    public StopReason? BeforeEpoch(bool cancelled, TimeSpan elapsed)
    {
        if (Finished is { } finished)
            return finished; // a resumed run that had already stopped stays stopped
        if (Epochs >= _options.Epochs)
            return StopReason.EpochLimit;
        if (cancelled)
            return StopReason.Cancelled;
        if (_options.TimeBudget is { } budget && elapsed >= budget)
            return StopReason.TimeBudget;
        return null;
    }

    /// <summary>Whether an epoch's losses show the run has diverged: a NaN or infinite training or validation loss.</summary>
    public static bool Diverged(double trainLoss, double? validationLoss) =>
        !double.IsFinite(trainLoss) || validationLoss is { } v && !double.IsFinite(v);

    /// <summary>
    /// Counts a finished epoch and sets <see cref="Finished"/> when the run stops after it.
    /// </summary>
    /// <param name="epoch">The epoch's number, counted across runs.</param>
    /// <param name="monitored">Its validation loss, or its training loss without validation.</param>
    /// <param name="moved">Whether the optimizer moved the parameters.</param>
    /// <param name="validated">Whether <paramref name="monitored"/> is a validation loss, which early stopping needs.</param>
    /// <returns>True when the epoch is the best so far, whose weights the run keeps.</returns>
    public bool AfterEpoch(int epoch, double monitored, bool moved, bool validated)
    {
        Epochs++;
        bool improved = monitored < BestLoss - _options.Tolerance;
        StopReason? stop = null;
        if (improved)
        {
            BestLoss = monitored;
            BestEpoch = epoch;
            Stale = 0;
        }
        else if (++Stale >= _options.Patience)
        {
            LossStillFalling = false;
            if (validated && _options.EarlyStopping)
                stop = StopReason.EarlyStopping;
        }
        if (stop is null && !moved)
            stop = StopReason.Converged;
        Finished = stop;
        return improved;
    }

    /// <summary>Whether the run ends on the best epoch's weights rather than the last: with validation to tell them apart, when it did not diverge.</summary>
    public bool KeepsBest(StopReason reason, bool validated, int epochsCompleted) =>
        validated && reason != StopReason.Diverged && epochsCompleted > 0 && BestEpoch > 0;

    /// <summary>Whether the run's end is to be compared with its start: when it ran, had a start to compare with, and has not already diverged or been cancelled.</summary>
    public bool ComparesEnd(StopReason reason) =>
        Epochs > 0 && reason is not (StopReason.Diverged or StopReason.Cancelled) && double.IsFinite(StartLoss);

    /// <summary>The run's result: why it stopped, whether it converged, and a hint when an option should change.</summary>
    /// <param name="reason">Why the epoch loop ended.</param>
    /// <param name="epochsCompleted">Epochs completed across runs.</param>
    /// <param name="keptBest">Whether the best epoch's weights were put back (<see cref="KeepsBest"/>).</param>
    /// <param name="endLoss">The loss on the sample at the end, when <see cref="ComparesEnd"/> asked for it; else null.</param>
    public TrainingResult Result(StopReason reason, int epochsCompleted, bool keptBest, double? endLoss)
    {
        int bestEpoch = keptBest ? BestEpoch : epochsCompleted;
        double startLoss = StartLoss, end = endLoss ?? double.NaN;
        // A finite run can still have blown up and come part of the way back (Adam with a huge
        // learning rate): the model it keeps is then worse than the one it started from.
        if (endLoss is not null && !(end <= DivergedGrowth * startLoss + _options.Tolerance))
            reason = StopReason.Diverged;

        bool converged = reason is StopReason.EarlyStopping or StopReason.Converged
            || (reason == StopReason.EpochLimit && !LossStillFalling);
        bool rated = OptimizerRegistry.FollowsLearningRate(_options.Optimizer);
        double rate = _options.LearningRate;
        string lowerRate = $"lower the learning rate (now {rate:G3}, try {rate / 10:G3})";
        string? hint = null;
        switch (reason)
        {
            case StopReason.Diverged:
                string what = double.IsFinite(end)
                    ? $"the loss ended at {end:G3}, more than {DivergedGrowth:G} times the {startLoss:G3} it started from"
                    : "the loss became NaN or infinite";
                hint = rated
                    ? $"{what}; {lowerRate} or set a gradient clipping norm."
                    : $"{what}; check the data's scale (standardize inputs and targets) or add an L2 penalty.";
                break;
            case StopReason.EpochLimit when !converged:
                hint = $"the loss was still falling after {epochsCompleted} epochs; raise the number of epochs or the learning rate.";
                break;
            case StopReason.TimeBudget:
                hint = "the time budget ran out while the loss was still falling; allow more time or raise the learning rate.";
                break;
        }
        // Short of diverging, a run can still keep a model worse than the one it started from: a
        // higher rate, more epochs or more time would not help it.
        if (reason != StopReason.Diverged && rated && end > startLoss + _options.Tolerance)
            hint = $"the loss ended at {end:G3}, above the {startLoss:G3} it started from; {lowerRate}.";
        return new TrainingResult(reason, Epochs, bestEpoch, converged, hint);
    }
}
