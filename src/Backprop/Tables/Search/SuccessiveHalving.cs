using System.Diagnostics;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Tables.Search;

/// <summary>
/// The search: every candidate is first scored cheaply (a few folds, a share of the epochs), the
/// best few are then trained on every fold, and the best of those by out-of-fold R^2 is kept with
/// its fold networks. Fits run in parallel, one thread each, and are collected by (candidate, fold),
/// so the outcome depends on the seed alone unless the time budget binds.
/// </summary>
internal sealed class SuccessiveHalving
{
    /// <summary>The share of the budget the first round may start fits in; the rest is kept for the final round.</summary>
    private const double FirstRoundShare = 0.4;

    /// <summary>The least time a final-round fit is given, as a share of the budget, however late it starts.</summary>
    private const double LeastFitShare = 0.02;

    private readonly DataSet _rows;
    private readonly FoldPlan _plan;
    private readonly IReadOnlyList<Candidate> _candidates;
    private readonly SearchSpace _space;
    private readonly RegressorOptions _base;
    private readonly TimeSpan _budget;
    private readonly int _threads;
    private readonly IProgress<TableProgress>? _progress;
    private readonly CancellationToken _cancel;
    private readonly Dictionary<TargetTransform, DataSet> _transformed = [];
    private readonly Stopwatch _clock = new();
    private readonly Lock _gate = new();
    private int _done, _total, _round, _rounds;
    private MlpRegressor? _firstTrained;
    private int _skipped, _stopped, _finalistsCut;

    /// <param name="rows">The encoded training rows, targets in their own units.</param>
    /// <param name="plan">The folds.</param>
    /// <param name="candidates">What to compare, in a fixed order (ties go to the earlier).</param>
    /// <param name="space">How cheap the first round is and how many go on.</param>
    /// <param name="options">The run's other training options; the time budget and threads are set here per fit.</param>
    /// <param name="budget">The whole search's time.</param>
    /// <param name="threads">Fits at once.</param>
    /// <param name="progress">Receives <see cref="TableProgress.Searching"/> after every fit, from any thread, one at a time.</param>
    /// <param name="cancel">Stops the search; the outcome then has no model.</param>
    public SuccessiveHalving(DataSet rows, FoldPlan plan, IReadOnlyList<Candidate> candidates, SearchSpace space, RegressorOptions options, TimeSpan budget, int threads, IProgress<TableProgress>? progress, CancellationToken cancel)
    {
        _rows = rows;
        _plan = plan;
        _candidates = candidates;
        _space = space;
        _base = options with { Threads = 1, TimeBudget = null };
        _budget = budget;
        _threads = threads;
        _progress = progress;
        _cancel = cancel;
        foreach (var transform in candidates.Select(c => c.Transform).Distinct())
        {
            var y = (double[])rows.Targets.Clone();
            TargetTransforms.Apply(transform, y);
            _transformed[transform] = rows with { Targets = y };
        }
    }

    public SearchOutcome Run()
    {
        _clock.Start();
        int n = _candidates.Count, folds = _plan.Count;
        int firstFolds = Math.Min(_space.FirstRoundFolds, folds);
        int finalists = Math.Min(_space.Finalists, n);
        bool halving = n > finalists;
        _rounds = halving ? 2 : 1;
        _total = (halving ? n * firstFolds : 0) + finalists * folds;
        var seconds = new double[n];
        var entries = new LeaderboardEntry?[n];

        int[] order = Enumerable.Range(0, n).ToArray();
        if (halving)
        {
            _round = 1;
            var first = FirstRound(firstFolds);
            var scores = new RegressionScores?[n];
            for (int c = 0; c < n; c++)
            {
                var fits = Enumerable.Range(0, firstFolds).Select(f => first[c * firstFolds + f]).ToArray();
                seconds[c] = fits.Sum(f => f?.Seconds ?? 0);
                scores[c] = fits.All(f => f is not null) ? OutOfFold(fits!, Enumerable.Range(0, firstFolds)) : null;
                entries[c] = Entry(c, 1, scores[c] is null ? 0 : firstFolds, scores[c], seconds[c], fits);
            }
            order = Rank(scores.Select(s => s?.R2 ?? double.NaN).ToArray());
            // Candidates the budget left out never go on.
            finalists = Math.Min(finalists, scores.Count(s => s is not null));
            finalists = AffordableFinalists(finalists, folds, seconds.Where((_, c) => scores[c] is not null).DefaultIfEmpty(0).Average() / firstFolds);
        }
        if (_cancel.IsCancellationRequested)
            return Interrupted(entries);

        _round = _rounds;
        lock (_gate)
            _total = _done + finalists * folds;
        var final = new FoldFit?[finalists * folds];
        InOrder.Run(final.Length, _threads, j =>
        {
            // The budget stops a fit through a token rather than its options, so that the options
            // kept with the network are the same however long the run took.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
            budget.CancelAfter(Remaining());
            var fit = Fit(order[j / folds], j % folds, _base, budget.Token);
            if (fit.Result.Reason == StopReason.Cancelled && !_cancel.IsCancellationRequested)
                Interlocked.Increment(ref _stopped);
            final[j] = fit;
        });
        if (_cancel.IsCancellationRequested)
            return Interrupted(entries);

        var finalScores = new double[finalists];
        var finalFits = new FoldFit[finalists][];
        for (int p = 0; p < finalists; p++)
        {
            int c = order[p];
            finalFits[p] = final.Skip(p * folds).Take(folds).Select(f => f!).ToArray();
            var score = OutOfFold(finalFits[p], Enumerable.Range(0, folds));
            seconds[c] += finalFits[p].Sum(f => f.Seconds);
            entries[c] = Entry(c, _rounds, folds, score, seconds[c], finalFits[p]);
            finalScores[p] = score?.R2 ?? double.NaN;
        }
        int best = Rank(finalScores)[0];
        var chosen = _candidates[order[best]];
        var members = finalFits[best];
        var report = Report(entries, order, finalists, order[best], members);
        var ensemble = new Ensemble(members.Select(m => m.Model).ToArray(), chosen.Transform);
        if (!double.IsFinite(finalScores[best]))
            return new SearchOutcome(ensemble, null, report, members.Select(m => m.Result).First(r => r.Reason == StopReason.Diverged));
        return new SearchOutcome(ensemble, CrossValidationOf(ensemble, members), report, members[0].Result);
    }

    private FoldFit?[] FirstRound(int firstFolds)
    {
        double share = _space.FirstRoundEpochShare;
        var cheap = _base with
        {
            Epochs = Math.Max(1, (int)Math.Round(_base.Epochs * share)),
            Patience = Math.Max(1, (int)Math.Round(_base.Patience * share)),
        };
        var fits = new FoldFit?[_candidates.Count * firstFolds];
        InOrder.Run(fits.Length, _threads, j =>
        {
            int c = j / firstFolds;
            // The first candidate always runs, so that there is a model whatever the budget.
            if (c > 0 && (_cancel.IsCancellationRequested || _clock.Elapsed > _budget * FirstRoundShare))
            {
                if (j % firstFolds == 0)
                    Interlocked.Increment(ref _skipped);
                return;
            }
            fits[j] = Fit(c, j % firstFolds, cheap, _cancel);
        });
        return fits;
    }

    // As many finalists as the time left allows, judged from the first round: a fit on every
    // epoch takes up to 1/share as long as a first-round fit. At least one.
    private int AffordableFinalists(int finalists, int folds, double secondsPerFit)
    {
        double perFinalist = secondsPerFit / _space.FirstRoundEpochShare * folds / Math.Max(1, _threads);
        double left = (_budget - _clock.Elapsed).TotalSeconds;
        int affordable = perFinalist > 0 ? (int)Math.Floor(left / perFinalist) : finalists;
        if (affordable >= finalists)
            return finalists;
        _finalistsCut = finalists - Math.Max(1, affordable);
        return Math.Max(1, affordable);
    }

    private TimeSpan Remaining()
    {
        var left = _budget - _clock.Elapsed;
        var least = _budget * LeastFitShare;
        return left > least ? left : least;
    }

    private FoldFit Fit(int candidate, int fold, RegressorOptions options, CancellationToken cancel)
    {
        var c = _candidates[candidate];
        var fit = FoldFit.Run(_transformed[c.Transform], _plan, fold,
            options with { HiddenLayers = c.HiddenLayers, Activation = c.Activation, LearningRate = c.LearningRate, L2 = c.L2 },
            c.Transform, cancel);
        lock (_gate)
        {
            _firstTrained ??= fit.Model;
            _done++;
            var elapsed = _clock.Elapsed;
            var estimate = elapsed / _done * (_total - _done);
            var left = _budget - elapsed;
            _progress?.Report(new TableProgress.Searching(_round, _rounds, _done, _total, elapsed, estimate < left ? estimate : left > TimeSpan.Zero ? left : TimeSpan.Zero));
        }
        return fit;
    }

    // The scores of the held-out predictions of the given folds, against the targets; null when any is not finite.
    private RegressionScores? OutOfFold(IReadOnlyList<FoldFit> fits, IEnumerable<int> folds)
    {
        var rows = folds.SelectMany(_plan.HeldOut).ToArray();
        var predictions = fits.SelectMany(f => f.HeldOutPredictions).ToArray();
        if (!predictions.All(double.IsFinite))
            return null;
        return RegressionScores.Compute(predictions, _rows.Select(rows).Targets, _rows.Outputs);
    }

    private LeaderboardEntry Entry(int c, int round, int folds, RegressionScores? score, double seconds, IReadOnlyList<FoldFit?> fits) =>
        new(_candidates[c], round, folds, score?.R2 ?? double.NaN, score?.Rmse ?? double.NaN, seconds, Chosen: false,
            fits.Any(f => f is null) ? "time budget" : fits.Any(f => f!.Result.Reason == StopReason.Diverged) ? "diverged" : null);

    // Best first: higher score, then the earlier candidate; NaN last.
    private static int[] Rank(double[] scores) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => double.IsNaN(scores[i]) ? double.NegativeInfinity : scores[i]).ThenBy(i => i).ToArray();

    private SearchReport Report(LeaderboardEntry?[] entries, int[] order, int finalists, int chosen, IReadOnlyList<FoldFit> members)
    {
        // The finalists as ranked in the final round, then the rest as ranked in the first.
        var finalRanked = order.Take(finalists).OrderByDescending(c => double.IsNaN(entries[c]!.R2) ? double.NegativeInfinity : entries[c]!.R2).ThenBy(c => c);
        var board = finalRanked.Concat(order.Skip(finalists))
            .Select(c => (entries[c] ?? new LeaderboardEntry(_candidates[c], 1, 0, double.NaN, double.NaN, 0, false, "time budget")) with { Chosen = c == chosen })
            .ToArray();
        return new SearchReport
        {
            Folds = _plan.Count,
            Leaderboard = board,
            FoldScores = Enumerable.Range(0, _plan.Count).Select(k => FoldScore(members[k], k)).ToArray(),
            Budget = _budget,
            Elapsed = _clock.Elapsed,
            BudgetCuts = BudgetCuts(),
        };
    }

    // What the budget cut, in words, or null when it cut nothing.
    private string? BudgetCuts()
    {
        var cuts = new List<string>();
        if (_skipped > 0)
            cuts.Add($"{_skipped} of {_candidates.Count} candidates were not tried");
        if (_finalistsCut > 0)
            cuts.Add($"{_finalistsCut} fewer went on to every fold");
        if (_stopped > 0)
            cuts.Add($"{_stopped} fold network(s) stopped before early stopping would have stopped them");
        return cuts.Count == 0 ? null : string.Join("; ", cuts);
    }

    private ScoredRows FoldScore(FoldFit fit, int fold)
    {
        var rows = _rows.Select(_plan.HeldOut(fold));
        return new ScoredRows(FoldName(fold), rows, RegressionScores.Compute(fit.HeldOutPredictions, rows.Targets, rows.Outputs));
    }

    /// <summary>"fold 1" to "fold K": how a fold is named in reports and the model file.</summary>
    public static string FoldName(int fold) => "fold " + (fold + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private CrossValidation CrossValidationOf(Ensemble ensemble, IReadOnlyList<FoldFit> members)
    {
        var outOfFold = new double[_rows.Targets.Length];
        int outputs = _rows.Outputs;
        for (int k = 0; k < members.Count; k++)
        {
            var rows = _plan.HeldOut(k);
            for (int r = 0; r < rows.Length; r++)
                members[k].HeldOutPredictions.AsSpan(r * outputs, outputs).CopyTo(outOfFold.AsSpan(rows[r] * outputs));
        }
        return new CrossValidation(_rows, Enumerable.Range(0, members.Count).Select(_plan.HeldOut).ToArray(), outOfFold, ensemble);
    }

    private SearchOutcome Interrupted(LeaderboardEntry?[] entries)
    {
        var report = new SearchReport
        {
            Folds = _plan.Count,
            Leaderboard = entries.Select((e, c) => e ?? new LeaderboardEntry(_candidates[c], 1, 0, double.NaN, double.NaN, 0, false, "interrupted")).ToArray(),
            FoldScores = [],
            Budget = _budget,
            Elapsed = _clock.Elapsed,
        };
        return new SearchOutcome(new Ensemble([_firstTrained!], TargetTransform.None), null, report, new TrainingResult(StopReason.Cancelled, 0, 0, false, null));
    }
}
