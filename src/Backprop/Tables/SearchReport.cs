using Backprop.Serialization;

namespace Backprop.Tables;

/// <summary>What the cross-validated search of <see cref="TableModel.Fit"/> tried, found and kept.</summary>
public sealed record SearchReport
{
    /// <summary>K: the training rows were split into this many folds; the model averages the K fold networks of the chosen candidate.</summary>
    public required int Folds { get; init; }

    /// <summary>Every candidate, best first: the chosen one, then the others of the last round by score, then those dropped earlier.</summary>
    public required IReadOnlyList<LeaderboardEntry> Leaderboard { get; init; }

    /// <summary>The chosen candidate's scores on each fold's held-out rows ("fold 1" to "fold K"): their spread is how much the score depends on the rows.</summary>
    public required IReadOnlyList<ScoredRows> FoldScores { get; init; }

    /// <summary>The time the whole search was allowed.</summary>
    public required TimeSpan Budget { get; init; }

    /// <summary>How long the search took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Whether the time budget cut the search short (candidates left out or fold networks stopped
    /// before early stopping would have stopped them). Such a result depends on the machine's speed.
    /// </summary>
    public bool BudgetCut => BudgetCuts is not null;

    /// <summary>What the budget cut, in words (candidates not tried, fewer finalists, fold networks stopped), or null when it cut nothing.</summary>
    public string? BudgetCuts { get; init; }

    /// <summary>The chosen candidate, or null when the search was interrupted before it chose.</summary>
    public Candidate? Chosen => Leaderboard.FirstOrDefault(e => e.Chosen)?.Candidate;

    internal SearchDocument ToDocument(IReadOnlyList<string> targets) => new(
        Folds,
        Leaderboard.Select(e => new LeaderboardDocument(e.Candidate.Name, e.Candidate.Activation, e.Candidate.HiddenLayers, e.Candidate.LearningRate, e.Candidate.L2,
            TransformName(e.Candidate.Transform), e.Round, e.Folds, e.R2, e.Rmse, e.Seconds, e.Chosen, e.Note)).ToArray(),
        FoldScores.Select(f => f.ToDocument(targets)).ToArray(),
        Budget.TotalSeconds,
        Elapsed.TotalSeconds,
        BudgetCut);

    /// <summary>"none" or "log", as the model file writes a transform.</summary>
    internal static string TransformName(TargetTransform transform) => transform.ToString().ToLowerInvariant();
}
