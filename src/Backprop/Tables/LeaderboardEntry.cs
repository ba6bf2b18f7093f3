namespace Backprop.Tables;

/// <summary>How one candidate did in the search, at the last round it reached.</summary>
/// <param name="Candidate">What was trained.</param>
/// <param name="Round">The last round it ran in: 1 is the cheap first round, the last round trains on every fold.</param>
/// <param name="Folds">Folds it was scored on in that round.</param>
/// <param name="R2">Out-of-fold R^2 on the rows of those folds, in the targets' units (the mean over targets); NaN when it diverged or did not run.</param>
/// <param name="Rmse">Out-of-fold RMSE on the same rows, in the targets' units.</param>
/// <param name="Seconds">Training time summed over its fits in every round (wall time on one thread each).</param>
/// <param name="Chosen">Whether its fold networks are the model.</param>
/// <param name="Note">Why it stopped where it did, when not for its score: "time budget" (not run), "diverged".</param>
public sealed record LeaderboardEntry(Candidate Candidate, int Round, int Folds, double R2, double Rmse, double Seconds, bool Chosen, string? Note = null);
