using System.Diagnostics;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Optimizers;
using Backprop.Schedules;
using Backprop.Training.Steps;

namespace Backprop.Training;

/// <summary>
/// Trains a <see cref="Network{T}"/>: batching, the optimizer, the schedule, validation, early
/// stopping, divergence and budget checks. Calling <see cref="Fit"/> again continues where the
/// last call stopped (warm start): the optimizer's state, the shuffling generator, the epoch count
/// and the schedule all carry on, so K one-epoch fits equal one K-epoch fit.
/// </summary>
/// <remarks>
/// The trainer runs the epoch loop; the rest lives in rooms of its own: the optimizer's runner
/// (built from <see cref="OptimizerRegistry"/>, in <c>Training/Steps</c>) trains each epoch, the
/// schedule (from <see cref="ScheduleRegistry"/>) sets its rate, and the stopping policy
/// (<c>StoppingPolicy</c>) decides when the run ends and what it reports.
/// </remarks>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Independent streams for the shuffles and anything else the trainer draws, from the one seed.
    private const ulong ShuffleStream = 0x5348_5546_464C_4521UL;

    private readonly OptimizerRunner<T> _runner;
    private readonly LearningRateSchedule _schedule;
    private readonly T[] _lastGood;
    private readonly T[] _best;
    private int[] _order = [];
    private StoppingPolicy? _run;

    /// <summary>Prepares to train <paramref name="network"/> from its current parameters.</summary>
    public Trainer(Network<T> network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Network = network;
        Options = options;
        Rng = new Rng(options.Seed ^ ShuffleStream);
        _runner = OptimizerRegistry.Create(network, options, Rng);
        _schedule = ScheduleRegistry.Create(options);
        _lastGood = new T[network.Parameters.Length];
        _best = new T[network.Parameters.Length];
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network { get; }

    /// <summary>The options, validated.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Every epoch so far, across calls.</summary>
    public History History { get; } = new();

    /// <summary>Epochs completed so far, across calls.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>The generator behind the shuffles (its state goes into checkpoints).</summary>
    public Rng Rng { get; }

    /// <summary>The step-based optimizer, or null for L-BFGS.</summary>
    public IOptimizer<T>? Optimizer => _runner.Optimizer;

    /// <summary>Captures everything besides the weights that training needs to go on (see <see cref="TrainerState"/>).</summary>
    /// <remarks>Call between epochs, e.g. from the progress callback, which runs after each epoch's state is settled.</remarks>
    public TrainerState CaptureState()
    {
        var run = _run ?? new StoppingPolicy(Options, EpochsCompleted, double.NaN);
        return run.AddTo(new TrainerState
        {
            EpochsCompleted = EpochsCompleted,
            BestParameters = Array.ConvertAll(_run is null ? Network.Parameters : _best, double.CreateTruncating),
            Rng = Rng.State,
            Order = (int[])_order.Clone(),
            Schedule = _schedule.State,
            Optimizer = _runner.CaptureState(),
            OptimizerSteps = _runner.Steps,
            History = History.Epochs.ToArray(),
        });
    }

    /// <summary>
    /// Puts back a state captured by <see cref="CaptureState"/> (the network's weights are restored
    /// separately); then <c>Fit(..., continueRun: true)</c> goes on exactly where the capture was taken.
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit this network or optimizer.</exception>
    public void RestoreState(TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.BestParameters.Length != _best.Length)
            throw new ArgumentException($"The saved state is for {state.BestParameters.Length} parameters; this network has {_best.Length}.", nameof(state));
        _runner.RestoreState(state.Optimizer, state.OptimizerSteps);
        Rng.State = state.Rng;
        _order = (int[])state.Order.Clone();
        if (state.Schedule.Length > 0)
            _schedule.State = state.Schedule;
        for (int i = 0; i < _best.Length; i++)
            _best[i] = T.CreateTruncating(state.BestParameters[i]);
        EpochsCompleted = state.EpochsCompleted;
        History.TruncateTo(0);
        History.AddRange(state.History);
        _run = StoppingPolicy.Resume(Options, state);
    }

    /// <summary>
    /// Trains for up to <see cref="TrainingOptions.Epochs"/> epochs.
    /// </summary>
    /// <param name="train">Training rows.</param>
    /// <param name="validation">Rows for validation loss and early stopping, or null.</param>
    /// <param name="progress">Receives each epoch's record as it finishes, on the training thread.</param>
    /// <param name="cancellationToken">Stops training between steps; the best weights so far are kept.</param>
    /// <returns>Why training stopped, and whether it converged.</returns>
    /// <exception cref="ArgumentException">The data's shape does not match the network.</exception>
    /// <param name="continueRun">
    /// Continue the run that the last call (or <see cref="RestoreState"/>) left unfinished, with its
    /// epoch count, best weights and patience, instead of starting a new run of
    /// <see cref="TrainingOptions.Epochs"/> epochs. This is how a checkpoint resumes.
    /// </param>
    public TrainingResult Fit(TrainingData<T> train, TrainingData<T>? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default, bool continueRun = false)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckShape(train, nameof(train));
        if (validation is not null)
            CheckShape(validation, nameof(validation));

        var options = Options;
        int batch = Math.Min(options.BatchSize, train.Rows);
        var objective = new Objective<T>(Network, options.LossFunction, options.L2, _runner.PassRows(batch, train.Rows), options.EffectiveThreads, OneRowPath);
        var epoch = _runner.Epoch(objective, train, batch, OrderFor(train));
        return Run(epoch.Run, validation, progress, continueRun, cancellationToken, RunSample.Of(train), objective.Pass);
    }

    /// <summary>
    /// Trains on data that does not fit in memory: each epoch walks the chunks that
    /// <paramref name="epochChunks"/> yields (for example a shuffle buffer's worth of rows at a time
    /// read from a file), shuffling and stepping through each chunk in turn.
    /// </summary>
    /// <param name="epochChunks">Called once per epoch; yields that epoch's chunks. A chunk may be reused (overwritten) after the next is requested.</param>
    /// <param name="validation">Rows for validation loss and early stopping (in memory), or null.</param>
    /// <param name="progress">Receives each epoch's record.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    /// <exception cref="NotSupportedException">L-BFGS, which needs the full batch at every iteration.</exception>
    public TrainingResult FitStream(Func<IEnumerable<TrainingData<T>>> epochChunks, TrainingData<T>? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(epochChunks);
        _runner.ThrowIfCannotStream();
        if (validation is not null)
            CheckShape(validation, nameof(validation));
        var options = Options;
        Objective<T>? objective = null;
        return Run((rate, clock, token) =>
        {
            double lossSum = 0, weightSum = 0, normSum = 0;
            int chunks = 0;
            foreach (var chunk in epochChunks())
            {
                CheckShape(chunk, "training");
                int batch = Math.Min(options.BatchSize, chunk.Rows);
                if (objective is null || objective.Pass.MaxRows < batch)
                    objective = new Objective<T>(Network, options.LossFunction, options.L2, Math.Min(options.BatchSize, Math.Max(chunk.Rows, 1)), options.EffectiveThreads, OneRowPath);
                var outcome = _runner.Epoch(objective, chunk, batch, OrderFor(chunk)).Run(rate, clock, token);
                if (outcome.Interrupted is not null || !double.IsFinite(outcome.TrainLoss))
                    return outcome;
                double weight = chunk.TotalWeight;
                lossSum += outcome.TrainLoss * weight;
                weightSum += weight;
                normSum += outcome.GradientNorm;
                chunks++;
            }
            if (chunks == 0)
                throw new ArgumentException("The stream yielded no training rows.", nameof(epochChunks));
            return new EpochOutcome(lossSum / weightSum, normSum / chunks, true, null);
        }, validation, progress, continueRun: false, cancellationToken, validation is null ? null : RunSample.Of(validation), samplePass: null);
    }

    // The epoch loop shared by in-memory and streamed training: schedule, validation, the stopping
    // policy, the last good and best weights, and reporting around whatever runs one epoch. sample:
    // rows whose loss at the start and at the end tell a run that made the model worse (null: not
    // checked), evaluated on samplePass (the training pass: free between epochs, no second set of
    // buffers), or on the validation pass when none is given (a streamed run samples its validation rows).
    // Every pass the trainer makes honours the switch, whichever runner or evaluation uses it.
    private bool OneRowPath => Options.FastPaths.HasFlag(FastPaths.OneRow);

    private TrainingResult Run(Func<double, Stopwatch, CancellationToken, EpochOutcome> runEpoch, TrainingData<T>? validation, IProgress<EpochRecord>? progress, bool continueRun, CancellationToken cancellationToken,
        TrainingData<T>? sample, NetworkPass<T>? samplePass)
    {
        var options = Options;
        var evaluator = validation is null && sample is null ? null : new Objective<T>(Network, options.LossFunction, 0, 1, 1, OneRowPath);
        var validationPass = validation is null ? null : Network.CreatePass(Math.Min(validation.Rows, 1024), options.EffectiveThreads);
        samplePass ??= validationPass;

        var clock = Stopwatch.StartNew();
        if (!continueRun || _run is null)
        {
            Network.Parameters.CopyTo(_best, 0);
            // Measured once per run, so that a run resumed from a checkpoint compares its end with
            // the same start as the run it continues.
            _run = new StoppingPolicy(options, EpochsCompleted, sample is null ? double.NaN : evaluator!.Evaluate(sample, samplePass!));
        }
        Network.Parameters.CopyTo(_lastGood, 0);
        var run = _run;
        StopReason reason;
        while (true)
        {
            if (run.BeforeEpoch(cancellationToken.IsCancellationRequested, clock.Elapsed) is { } before)
            {
                reason = before;
                break;
            }
            double rate = _schedule.Rate(EpochsCompleted, options.LearningRate);
            var epochClock = Stopwatch.StartNew();
            var outcome = runEpoch(rate, clock, cancellationToken);
            if (outcome.Interrupted is { } interruption)
            {
                Array.Copy(_lastGood, Network.Parameters, _lastGood.Length);
                reason = interruption;
                break;
            }
            double? validationLoss = validation is null ? null : evaluator!.Evaluate(validation, validationPass!);
            if (StoppingPolicy.Diverged(outcome.TrainLoss, validationLoss))
            {
                Array.Copy(_lastGood, Network.Parameters, _lastGood.Length);
                reason = StopReason.Diverged;
                break;
            }

            EpochsCompleted++;
            var record = new EpochRecord(EpochsCompleted, outcome.TrainLoss, validationLoss, rate, outcome.GradientNorm, epochClock.Elapsed.TotalSeconds);
            History.Add(record);
            double monitored = validationLoss ?? outcome.TrainLoss;
            _schedule.Observe(monitored);
            Network.Parameters.CopyTo(_lastGood, 0);
            if (run.AfterEpoch(EpochsCompleted, monitored, outcome.Moved, validated: validation is not null))
                Network.Parameters.CopyTo(_best, 0);
            // Reported last, so that state captured from the callback (a checkpoint) is the state
            // the next epoch starts from.
            progress?.Report(record);
        }

        bool keepsBest = run.KeepsBest(reason, validation is not null, EpochsCompleted);
        if (keepsBest)
            Array.Copy(_best, Network.Parameters, _best.Length);
        double? endLoss = sample is not null && run.ComparesEnd(reason) ? evaluator!.Evaluate(sample, samplePass!) : null;
        return run.Result(reason, EpochsCompleted, keepsBest, endLoss);
    }

    // The row order lives in the trainer so that a warm start reshuffles the previous epoch's
    // order, exactly as an uninterrupted run would.
    private int[] OrderFor(TrainingData<T> data)
    {
        if (_order.Length != data.Rows)
            _order = Enumerable.Range(0, data.Rows).ToArray();
        return _order;
    }

    private void CheckShape(TrainingData<T> data, string name)
    {
        if (data.Features != Network.InputCount)
            throw new ArgumentException($"The {name} data has {data.Features} features per row but the network takes {Network.InputCount}.", name);
        if (data.Outputs != Network.OutputCount)
            throw new ArgumentException($"The {name} data has {data.Outputs} targets per row but the network has {Network.OutputCount} outputs.", name);
    }
}
