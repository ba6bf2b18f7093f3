using Backprop.Training;

namespace Backprop.Tables.Search;

/// <summary>What the search ends with: the chosen candidate's fold networks and their cross-validation, or why there are none.</summary>
/// <param name="Ensemble">The chosen candidate's fold networks; when interrupted, whichever network was trained first, never to be saved (the result has no epochs).</param>
/// <param name="CrossValidation">The chosen candidate's folds; null when the search was interrupted or every candidate diverged.</param>
/// <param name="Report">The leaderboard, fold scores and timing.</param>
/// <param name="Result">The first fold network's training result; Cancelled with no epochs when interrupted, Diverged when nothing finite came out.</param>
internal sealed record SearchOutcome(Ensemble Ensemble, CrossValidation? CrossValidation, SearchReport Report, TrainingResult Result);
