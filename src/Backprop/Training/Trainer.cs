using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Backprop.Kernels;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Optimizers;
using Backprop.Schedules;

namespace Backprop.Training;

/// <summary>
/// Trains a <see cref="Network{T}"/>: batching, the optimizer, the schedule, validation, early
/// stopping, divergence and budget checks. Calling <see cref="Fit"/> again continues where the
/// last call stopped (warm start): the optimizer's state, the shuffling generator, the epoch count
/// and the schedule all carry on, so K one-epoch fits equal one K-epoch fit.
/// </summary>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Independent streams for the shuffles and anything else the trainer draws, from the one seed.
    private const ulong ShuffleStream = 0x5348_5546_464C_4521UL;

    private readonly IOptimizer<T>? _optimizer;
    private readonly Lbfgs<T>? _lbfgs;
    private readonly LearningRateSchedule _schedule;
    private readonly T[] _lastGood;
    private readonly T[] _best;
    private int[] _order = [];
    private RunProgress? _run;

    /// <summary>Prepares to train <paramref name="network"/> from its current parameters.</summary>
    public Trainer(Network<T> network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Network = network;
        Options = options;
        int count = network.Parameters.Length;
        Rng = new Rng(options.Seed ^ ShuffleStream);
        var decayMask = new bool[count];
        foreach (var layer in network.Layers)
            decayMask.AsSpan(layer.WeightOffset, layer.WeightCount).Fill(true);
        switch (options.Optimizer)
        {
            case OptimizerKind.GradientDescent: _optimizer = new GradientDescent<T>(count); break;
            case OptimizerKind.Momentum: _optimizer = new GradientDescent<T>(count, options.Momentum); break;
            case OptimizerKind.Nesterov: _optimizer = new GradientDescent<T>(count, options.Momentum, nesterov: true); break;
            case OptimizerKind.Adam: _optimizer = new Adam<T>(count, options.Beta1, options.Beta2, options.Epsilon); break;
            case OptimizerKind.AdamW: _optimizer = new Adam<T>(count, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, decayMask); break;
            case OptimizerKind.Rprop: _optimizer = new Rprop<T>(count, options.RpropInitialStep); break;
            case OptimizerKind.Lbfgs: _lbfgs = new Lbfgs<T>(count, options.LbfgsMemory); break;
        }
        _schedule = options.Schedule switch
        {
            ScheduleKind.InverseScaling => new InverseScalingSchedule(options.PowerT),
            ScheduleKind.StepDecay => new StepDecaySchedule(options.StepSize, options.Gamma),
            ScheduleKind.Cosine => new CosineSchedule(options.Epochs, options.MinLearningRate),
            ScheduleKind.ReduceOnPlateau => new ReduceOnPlateauSchedule(options.PlateauPatience, options.Gamma, options.Tolerance, options.MinLearningRate),
            _ => new ConstantSchedule(),
        };
        _lastGood = new T[count];
        _best = new T[count];
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
    public IOptimizer<T>? Optimizer => _optimizer;

    /// <summary>Captures everything besides the weights that training needs to go on (see <see cref="TrainerState"/>).</summary>
    /// <remarks>Call between epochs, e.g. from the progress callback, which runs after each epoch's state is settled.</remarks>
    public TrainerState CaptureState()
    {
        var run = _run ?? new RunProgress { BestEpoch = EpochsCompleted };
        return new TrainerState
        {
            EpochsCompleted = EpochsCompleted,
            RunEpochs = run.Epochs,
            RunStopReason = run.Finished,
            BestLoss = run.BestLoss,
            BestEpoch = run.BestEpoch,
            Stale = run.Stale,
            LossStillFalling = run.LossStillFalling,
            StartLoss = run.StartLoss,
            BestParameters = Array.ConvertAll(_run is null ? Network.Parameters : _best, double.CreateTruncating),
            Rng = Rng.State,
            Order = (int[])_order.Clone(),
            Schedule = _schedule.State,
            Optimizer = _optimizer is not null ? OptimizerState.ToDoubles(_optimizer.State) : _lbfgs!.CaptureState(),
            OptimizerSteps = _optimizer?.Steps ?? _lbfgs!.Steps,
            History = History.Epochs.ToArray(),
        };
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
        if (_optimizer is not null)
            _optimizer.RestoreState(state.Optimizer, state.OptimizerSteps);
        else
            _lbfgs!.RestoreState(state.Optimizer);
        Rng.State = state.Rng;
        _order = (int[])state.Order.Clone();
        if (state.Schedule.Length > 0)
            _schedule.State = state.Schedule;
        for (int i = 0; i < _best.Length; i++)
            _best[i] = T.CreateTruncating(state.BestParameters[i]);
        EpochsCompleted = state.EpochsCompleted;
        History.TruncateTo(0);
        History.AddRange(state.History);
        _run = new RunProgress
        {
            Epochs = state.RunEpochs,
            Finished = state.RunStopReason,
            BestLoss = state.BestLoss,
            BestEpoch = state.BestEpoch,
            Stale = state.Stale,
            LossStillFalling = state.LossStillFalling,
            StartLoss = state.StartLoss,
        };
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
        int chunk = _lbfgs is null ? batch : Math.Min(train.Rows, 1024);
        var objective = new Objective<T>(Network, options.LossFunction, options.L2, chunk, options.EffectiveThreads);
        var epochLoop = new EpochLoop(this, objective, train, batch);
        return Run(
            (rate, clock, token) => _lbfgs is null ? epochLoop.RunSteps(rate, clock, token) : epochLoop.RunLbfgs(_lbfgs),
            validation, progress, continueRun, cancellationToken, Sample(train), objective.Pass);
    }

    // Rows a run's start and end are compared on, at most this many, spread evenly over the data.
    private const int SampleRows = 256;

    // A run whose loss on the sample ends above this many times where it started has diverged,
    // even if every loss stayed finite: it made the model worse, and the learning rate is the usual cause.
    private const double DivergedGrowth = 2;

    // Up to SampleRows rows of data, evenly spaced; null when those carry no weight.
    private static TrainingData<T>? Sample(TrainingData<T> data)
    {
        if (data.Rows <= SampleRows)
            return data;
        int stride = data.Rows / SampleRows, features = data.Features, outputs = data.Outputs;
        var x = new T[SampleRows * features];
        var y = new T[SampleRows * outputs];
        var w = data.Weights is null ? null : new T[SampleRows];
        for (int i = 0; i < SampleRows; i++)
        {
            int row = i * stride;
            data.Inputs.AsSpan(row * features, features).CopyTo(x.AsSpan(i * features));
            data.Targets.AsSpan(row * outputs, outputs).CopyTo(y.AsSpan(i * outputs));
            if (w is not null)
                w[i] = data.Weights![row];
        }
        if (w is not null && !(VectorOps.Sum<T>(w) > 0))
            return null;
        return new TrainingData<T>(x, y, features, outputs, w);
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
        if (_lbfgs is not null)
            throw new NotSupportedException("L-BFGS needs the whole training set at every iteration; stream with a mini-batch optimizer (adam, sgd, ...) instead.");
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
                    objective = new Objective<T>(Network, options.LossFunction, options.L2, Math.Min(options.BatchSize, Math.Max(chunk.Rows, 1)), options.EffectiveThreads);
                var outcome = new EpochLoop(this, objective, chunk, batch).RunSteps(rate, clock, token);
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
        }, validation, progress, continueRun: false, cancellationToken, validation is null ? null : Sample(validation), samplePass: null);
    }

    // The epoch loop shared by in-memory and streamed training: schedule, validation, early stopping,
    // divergence, budget, cancellation and reporting around whatever runs one epoch. sample: rows
    // whose loss at the start and at the end tell a run that made the model worse (null: not
    // checked), evaluated on samplePass (the training pass: free between epochs, no second set of
    // buffers), or on the validation pass when none is given (a streamed run samples its validation rows).
    private TrainingResult Run(Func<double, Stopwatch, CancellationToken, EpochOutcome> runEpoch, TrainingData<T>? validation, IProgress<EpochRecord>? progress, bool continueRun, CancellationToken cancellationToken,
        TrainingData<T>? sample, NetworkPass<T>? samplePass)
    {
        var options = Options;
        var evaluator = validation is null && sample is null ? null : new Objective<T>(Network, options.LossFunction, 0, 1, 1);
        var validationPass = validation is null ? null : Network.CreatePass(Math.Min(validation.Rows, 1024), options.EffectiveThreads);
        samplePass ??= validationPass;
        bool earlyStopping = validation is not null && options.EarlyStopping;

        var clock = Stopwatch.StartNew();
        if (!continueRun || _run is null)
        {
            _run = new RunProgress();
            Network.Parameters.CopyTo(_best, 0);
            _run.BestEpoch = EpochsCompleted;
            // Measured once per run, so that a run resumed from a checkpoint compares its end with
            // the same start as the run it continues.
            _run.StartLoss = sample is null ? double.NaN : evaluator!.Evaluate(sample, samplePass!);
        }
        Network.Parameters.CopyTo(_lastGood, 0);
        var run = _run;
        var reason = StopReason.EpochLimit;
        string? hint = null;

        if (run.Finished is { } finished)
            reason = finished; // a resumed run that had already stopped stays stopped
        while (run.Finished is null && run.Epochs < options.Epochs)
        {
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (options.TimeBudget is { } budget && clock.Elapsed >= budget) { reason = StopReason.TimeBudget; break; }

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
            if (!double.IsFinite(outcome.TrainLoss) || validationLoss is { } v && !double.IsFinite(v))
            {
                Array.Copy(_lastGood, Network.Parameters, _lastGood.Length);
                reason = StopReason.Diverged;
                break;
            }

            EpochsCompleted++;
            run.Epochs++;
            var record = new EpochRecord(EpochsCompleted, outcome.TrainLoss, validationLoss, rate, outcome.GradientNorm, epochClock.Elapsed.TotalSeconds);
            History.Add(record);

            double monitored = validationLoss ?? outcome.TrainLoss;
            _schedule.Observe(monitored);
            Network.Parameters.CopyTo(_lastGood, 0);
            bool stop = false;
            if (monitored < run.BestLoss - options.Tolerance)
            {
                run.BestLoss = monitored;
                run.BestEpoch = EpochsCompleted;
                Network.Parameters.CopyTo(_best, 0);
                run.Stale = 0;
            }
            else if (++run.Stale >= options.Patience)
            {
                run.LossStillFalling = false;
                if (earlyStopping)
                {
                    reason = StopReason.EarlyStopping;
                    stop = true;
                }
            }
            if (!stop && !outcome.Moved)
            {
                reason = StopReason.Converged;
                stop = true;
            }
            run.Finished = stop ? reason : null;
            // Reported last, so that state captured from the callback (a checkpoint) is the state
            // the next epoch starts from.
            progress?.Report(record);
            if (stop)
                break;
        }

        int bestEpoch = run.BestEpoch;
        if (validation is not null && reason != StopReason.Diverged && EpochsCompleted > 0 && bestEpoch > 0)
            Array.Copy(_best, Network.Parameters, _best.Length);
        else
            bestEpoch = EpochsCompleted;
        bool lossStillFalling = run.LossStillFalling;
        // A finite run can still have blown up and come part of the way back (Adam with a huge
        // learning rate): the model it keeps is then worse than the one it started from.
        double startLoss = run.StartLoss, endLoss = double.NaN;
        if (run.Epochs > 0 && sample is not null && reason is not (StopReason.Diverged or StopReason.Cancelled) && double.IsFinite(startLoss))
        {
            endLoss = evaluator!.Evaluate(sample!, samplePass!);
            if (!(endLoss <= DivergedGrowth * startLoss + options.Tolerance))
                reason = StopReason.Diverged;
        }

        bool converged = reason is StopReason.EarlyStopping or StopReason.Converged
            || (reason == StopReason.EpochLimit && !lossStillFalling);
        bool rated = options.Optimizer is not (OptimizerKind.Lbfgs or OptimizerKind.Rprop);
        string lowerRate = $"lower the learning rate (now {options.LearningRate:G3}, try {options.LearningRate / 10:G3})";
        switch (reason)
        {
            case StopReason.Diverged:
                string what = double.IsFinite(endLoss)
                    ? $"the loss ended at {endLoss:G3}, more than {DivergedGrowth:G} times the {startLoss:G3} it started from"
                    : "the loss became NaN or infinite";
                hint = rated
                    ? $"{what}; {lowerRate} or set a gradient clipping norm."
                    : $"{what}; check the data's scale (standardize inputs and targets) or add an L2 penalty.";
                break;
            case StopReason.EpochLimit when !converged:
                hint = $"the loss was still falling after {EpochsCompleted} epochs; raise the number of epochs or the learning rate.";
                break;
            case StopReason.TimeBudget:
                hint = "the time budget ran out while the loss was still falling; allow more time or raise the learning rate.";
                break;
        }
        // Short of diverging, a run can still keep a model worse than the one it started from: a
        // higher rate, more epochs or more time would not help it.
        if (reason != StopReason.Diverged && rated && endLoss > startLoss + options.Tolerance)
            hint = $"the loss ended at {endLoss:G3}, above the {startLoss:G3} it started from; {lowerRate}.";
        return new TrainingResult(reason, run.Epochs, bestEpoch, converged, hint);
    }

    private void CheckShape(TrainingData<T> data, string name)
    {
        if (data.Features != Network.InputCount)
            throw new ArgumentException($"The {name} data has {data.Features} features per row but the network takes {Network.InputCount}.", name);
        if (data.Outputs != Network.OutputCount)
            throw new ArgumentException($"The {name} data has {data.Outputs} targets per row but the network has {Network.OutputCount} outputs.", name);
    }

    // Where the current run stands: what a checkpoint must carry besides weights and optimizer state.
    private sealed class RunProgress
    {
        public int Epochs;
        public double BestLoss = double.PositiveInfinity;
        public int BestEpoch;
        public int Stale;
        public bool LossStillFalling = true;
        public double StartLoss = double.NaN; // the loss on the sample rows before the run's first epoch
        public StopReason? Finished;
    }

    private readonly record struct EpochOutcome(double TrainLoss, double GradientNorm, bool Moved, StopReason? Interrupted);

    // The inside of one epoch, with the buffers it reuses from epoch to epoch.
    private sealed class EpochLoop
    {
        private readonly Trainer<T> _trainer;
        private readonly Objective<T> _objective;
        private readonly TrainingData<T> _data;
        private readonly int _batch;
        private readonly int[] _order;
        private readonly T[] _x, _y, _w;
        private readonly T[] _fullGradient;
        private readonly StepPath _path;
        private readonly OnlineDescent<T>? _online;

        public EpochLoop(Trainer<T> trainer, Objective<T> objective, TrainingData<T> data, int batch)
        {
            (_trainer, _objective, _data, _batch) = (trainer, objective, data, batch);
            // The row order lives in the trainer so that a warm start reshuffles the previous
            // epoch's order, exactly as an uninterrupted run would.
            if (trainer._order.Length != data.Rows)
                trainer._order = Enumerable.Range(0, data.Rows).ToArray();
            _order = trainer._order;
            _path = StepPaths.Select(trainer.Network, trainer._optimizer, trainer.Options, data, batch);
            objective.Pass.OneRowPath = trainer.Options.FastPaths.HasFlag(FastPaths.OneRow);
            bool gathers = trainer.Options.Shuffle && trainer._lbfgs is null && _path == StepPath.Batched;
            _x = gathers ? new T[batch * data.Features] : [];
            _y = gathers ? new T[batch * data.Outputs] : [];
            _w = gathers && data.Weights is not null ? new T[batch] : [];
            _fullGradient = trainer._lbfgs is null ? [] : new T[trainer.Network.Parameters.Length];
            _online = OnlineDescent<T>.For(_path, trainer.Network, trainer._optimizer);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public EpochOutcome RunSteps(double rate, Stopwatch clock, CancellationToken cancellationToken)
        {
            var options = _trainer.Options;
            var optimizer = _trainer._optimizer!;
            var parameters = _trainer.Network.Parameters;
            var gradients = _objective.Pass.Gradients;
            bool shuffle = options.Shuffle;
            if (shuffle)
                _trainer.Rng.Shuffle(_order);
            if (_online is not null)
            {
                var epoch = _online.Epoch(_data, shuffle ? _order : null, rate, clock, options.TimeBudget, cancellationToken);
                if (epoch.Interrupted is not null || epoch.Diverged)
                    return new EpochOutcome(double.NaN, double.NaN, false, epoch.Interrupted);
                return new EpochOutcome(epoch.LossSum / epoch.Steps, epoch.NormSum / Math.Max(epoch.Steps, 1), true, null);
            }
            int features = _data.Features, outputs = _data.Outputs;
            double lossSum = 0, weightSum = 0, normSum = 0;
            int threads = options.EffectiveThreads;
            int steps = 0;
            for (int start = 0; start < _data.Rows; start += _batch)
            {
                if (Interruption.BeforeStep(cancellationToken, options.TimeBudget, clock) is { } reason)
                    return new EpochOutcome(double.NaN, double.NaN, false, reason);
                double loss, batchWeight;
                if (_path == StepPath.OneRow)
                {
                    // Online: the row is read in place, neither gathered nor wrapped in memory.
                    int row = shuffle ? _order[start] : start;
                    var w = _data.Weights is null ? default : _data.Weights.AsSpan(row, 1);
                    batchWeight = w.IsEmpty ? 1 : double.CreateTruncating(w[0]);
                    if (batchWeight == 0)
                        continue;
                    loss = _objective.Row(_data.Inputs.AsSpan(row * features, features), _data.Targets.AsSpan(row * outputs, outputs), w);
                }
                else
                {
                    int n = Math.Min(_batch, _data.Rows - start);
                    ReadOnlyMemory<T> x;
                    ReadOnlySpan<T> y, w;
                    if (shuffle)
                    {
                        Gather(start, n, threads);
                        x = _x;
                        y = _y.AsSpan(0, n * outputs);
                        w = _data.Weights is null ? default : _w.AsSpan(0, n);
                    }
                    else
                    {
                        x = _data.Inputs.AsMemory(start * features, n * features);
                        y = _data.Targets.AsSpan(start * outputs, n * outputs);
                        w = _data.Weights is null ? default : _data.Weights.AsSpan(start, n);
                    }
                    batchWeight = w.IsEmpty ? n : VectorOps.Sum(w);
                    if (batchWeight == 0)
                        continue; // a batch of zero-weight rows carries no gradient
                    loss = _objective.Batch(x, y, w, n, out _);
                }
                if (!double.IsFinite(loss))
                    return new EpochOutcome(double.NaN, double.NaN, false, null);
                double norm;
                if (options.ClipNorm is null && optimizer is IRangeOptimizer<T> ranged)
                {
                    norm = Math.Sqrt(StepMeasuring(ranged, parameters, gradients, rate, threads));
                }
                else
                {
                    norm = Math.Sqrt(SquaredNorm(gradients, threads));
                    if (options.ClipNorm is { } clip && norm > clip)
                        VectorOps.Scale(gradients.AsSpan(), T.CreateTruncating(clip / norm));
                    Step(optimizer, parameters, gradients, rate, threads);
                }
                lossSum += loss * batchWeight;
                weightSum += batchWeight;
                normSum += norm;
                steps++;
            }
            return new EpochOutcome(lossSum / weightSum, normSum / Math.Max(steps, 1), true, null);
        }

        // The gradient's squared norm; a long gradient is summed by halves, whatever the thread count.
        private static unsafe double SquaredNorm(T[] gradients, int threads)
        {
            if (gradients.Length < MinParameterSplit)
                return VectorOps.SumOfSquares<T>(gradients);
            var job = new NormJob { Values = gradients };
            Halves.Cut(gradients.Length, threads, Unsafe.AsPointer(ref job), &SquaresOfRange);
            return job.Low + job.High;
        }

        private struct NormJob
        {
            public T[] Values;
            public double Low, High;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void SquaresOfRange(void* state, int start, int end)
        {
            ref var job = ref Unsafe.AsRef<NormJob>(state);
            double sum = VectorOps.SumOfSquares<T>(job.Values.AsSpan(start, end - start));
            if (start == 0)
                job.Low = sum;
            else
                job.High = sum;
        }

        // Parameters from which the passes over every parameter (norm, update) are cut in two. An
        // update costs several times what Halves.MinWork counts on per element (Adam's square root
        // and division), and the norm comes right before it, so both pay well below that.
        private const int MinParameterSplit = 1 << 13;

        // Values of a shuffled batch from which its gathering is shared between two threads.
        private const int MinGatherSplit = 1 << 11;

        // One optimizer step; a long buffer is updated in two halves side by side when the
        // optimizer's update is elementwise (same bits either way).
        private static unsafe void Step(IOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate, int threads)
        {
            if (threads < 2 || parameters.Length < MinParameterSplit || optimizer is not IRangeOptimizer<T> ranged)
            {
                optimizer.Step(parameters, gradients, rate);
                return;
            }
            ranged.BeginStep(rate);
            var job = new StepJob { Optimizer = ranged, Parameters = parameters, Gradients = gradients };
            Halves.Cut(parameters.Length, threads, Unsafe.AsPointer(ref job), &UpdateRange);
        }

        // One optimizer step that also returns the gradient's squared norm. Without clipping the norm
        // is only reported, so it is summed in the update's pass, a cache-sized chunk at a time just
        // before the chunk is updated, instead of in a pass of its own over the whole gradient.
        private static unsafe double StepMeasuring(IRangeOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate, int threads)
        {
            optimizer.BeginStep(rate);
            var job = new StepJob { Optimizer = optimizer, Parameters = parameters, Gradients = gradients };
            if (parameters.Length < MinParameterSplit)
                MeasuredUpdateRange(Unsafe.AsPointer(ref job), 0, parameters.Length);
            else
                Halves.Cut(parameters.Length, threads, Unsafe.AsPointer(ref job), &MeasuredUpdateRange);
            return job.Low + job.High;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void MeasuredUpdateRange(void* state, int start, int end)
        {
            const int Chunk = 2048;
            ref var job = ref Unsafe.AsRef<StepJob>(state);
            double sum = 0;
            for (int at = start; at < end; at += Chunk)
            {
                int length = Math.Min(Chunk, end - at);
                sum += VectorOps.SumOfSquares<T>(job.Gradients.AsSpan(at, length));
                job.Optimizer.UpdateRange(job.Parameters, job.Gradients, at, length);
            }
            if (start == 0)
                job.Low = sum;
            else
                job.High = sum;
        }

        private struct StepJob
        {
            public IRangeOptimizer<T> Optimizer;
            public T[] Parameters, Gradients;
            public double Low, High; // the squared norms of the two halves, when measured
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void UpdateRange(void* state, int start, int end)
        {
            ref var job = ref Unsafe.AsRef<StepJob>(state);
            job.Optimizer.UpdateRange(job.Parameters, job.Gradients, start, end - start);
        }

        public EpochOutcome RunLbfgs(Lbfgs<T> lbfgs)
        {
            double dataLoss = double.NaN;
            var step = lbfgs.Iterate(_trainer.Network.Parameters, gradient =>
            {
                double total = _objective.Full(_data, gradient, out double data);
                dataLoss = data;
                return total;
            });
            if (!step.Moved)
                _objective.Full(_data, _fullGradient, out dataLoss);
            return new EpochOutcome(dataLoss, step.GradientNorm, step.Moved, null);
        }

        // Copies the batch's rows into place. The rows are scattered over the whole table and often
        // short, so a short row is copied by a plain loop (a call per row would cost more than the
        // copy) and the row a few places ahead is prefetched, so that its cache miss overlaps this
        // row's copy instead of stalling the next.
        private unsafe void Gather(int start, int n, int threads)
        {
            if (threads < 2 || n * (_data.Features + _data.Outputs) < MinGatherSplit)
            {
                GatherRows(start, 0, n);
                return;
            }
            var job = new GatherJob { Loop = this, Start = start };
            Halves.Cut(n, threads, Unsafe.AsPointer(ref job), &GatherRange);
        }

        private struct GatherJob
        {
            public EpochLoop Loop;
            public int Start;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void GatherRange(void* state, int r0, int r1)
        {
            ref var job = ref Unsafe.AsRef<GatherJob>(state);
            job.Loop.GatherRows(job.Start, r0, r1);
        }

        // Rows [r0, r1) of the batch that starts at position start of the order.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void GatherRows(int start, int r0, int r1)
        {
            const int Ahead = 8, ShortRow = 32;
            int features = _data.Features, outputs = _data.Outputs;
            var order = _order.AsSpan(start, r1);
            ref T inputs = ref MemoryMarshal.GetArrayDataReference(_data.Inputs);
            ref T targets = ref MemoryMarshal.GetArrayDataReference(_data.Targets);
            ref T x = ref MemoryMarshal.GetArrayDataReference(_x);
            ref T y = ref MemoryMarshal.GetArrayDataReference(_y);
            for (int r = r0; r < r1; r++)
            {
                int row = order[r];
                if (Sse.IsSupported && r + Ahead < r1)
                    Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref inputs, order[r + Ahead] * features))); // a hint: a stale address does no harm
                ref T from = ref Unsafe.Add(ref inputs, row * features);
                ref T to = ref Unsafe.Add(ref x, r * features);
                if (features <= ShortRow)
                {
                    for (int k = 0; k < features; k++)
                        Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
                }
                else
                {
                    MemoryMarshal.CreateReadOnlySpan(ref from, features).CopyTo(MemoryMarshal.CreateSpan(ref to, features));
                }
                for (int k = 0; k < outputs; k++)
                    Unsafe.Add(ref y, r * outputs + k) = Unsafe.Add(ref targets, row * outputs + k);
                if (_data.Weights is not null)
                    _w[r] = _data.Weights[row];
            }
        }
    }
}
