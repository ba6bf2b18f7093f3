namespace Backprop.Serialization;

/// <summary>
/// What the fit that made a model measured, kept in the model file so that the numbers travel with
/// the weights: the data summary, the scores on each part and the warnings. Absent from files
/// written before it existed.
/// </summary>
/// <param name="Data">What was read and how it was split.</param>
/// <param name="Scores">Train (unless streamed), validation and test, in that order, for the parts that had rows.</param>
/// <param name="Warnings">The warnings the fit gave about the data.</param>
/// <param name="Search">The cross-validated search that chose the networks, or null (one network trained as given; files written before it existed).</param>
public sealed record ReportDocument(DataSummaryDocument Data, IReadOnlyList<PartScoresDocument> Scores, IReadOnlyList<string> Warnings, SearchDocument? Search = null);

/// <summary>The search: its folds, its leaderboard, the chosen candidate's fold-by-fold scores and its time.</summary>
/// <param name="Folds">K, the number of folds; the model averages the chosen candidate's K fold networks.</param>
/// <param name="Leaderboard">Every candidate, best first; the chosen one is marked.</param>
/// <param name="FoldScores">The chosen candidate's scores on each fold's held-out rows (parts "fold 1" to "fold K").</param>
/// <param name="BudgetSeconds">The time the search was allowed.</param>
/// <param name="Seconds">The time it took.</param>
/// <param name="BudgetCut">Whether the budget cut it short (then the result depends on the machine's speed).</param>
public sealed record SearchDocument(int Folds, IReadOnlyList<LeaderboardDocument> Leaderboard, IReadOnlyList<PartScoresDocument> FoldScores, double BudgetSeconds, double Seconds, bool BudgetCut);

/// <summary>One candidate of the search and how it did.</summary>
/// <param name="Candidate">Its short name, such as "relu 128x64 lr 0.001 l2 0.0001 log".</param>
/// <param name="Activation">The hidden layers' activation.</param>
/// <param name="HiddenLayers">Hidden layer sizes, first to last.</param>
/// <param name="LearningRate">The base learning rate.</param>
/// <param name="L2">The L2 penalty.</param>
/// <param name="TargetTransform">"none" or "log".</param>
/// <param name="Round">The last round it ran in (1 is the cheap first round).</param>
/// <param name="Folds">Folds it was scored on in that round (0: not run).</param>
/// <param name="R2">Out-of-fold R^2 on those folds' rows, in the targets' units; NaN when it diverged or did not run.</param>
/// <param name="Rmse">Out-of-fold RMSE on the same rows.</param>
/// <param name="Seconds">Training time over its fits.</param>
/// <param name="Chosen">Whether its fold networks are the model.</param>
/// <param name="Note">"time budget", "diverged", "interrupted", or null.</param>
public sealed record LeaderboardDocument(string Candidate, Activations.Activation Activation, IReadOnlyList<int> HiddenLayers, double LearningRate, double L2, string TargetTransform, int Round, int Folds, double R2, double Rmse, double Seconds, bool Chosen, string? Note);

/// <summary>The training file and its split, as the fit saw them.</summary>
/// <param name="File">The file name, without folders.</param>
/// <param name="Streamed">Whether the file was streamed rather than loaded.</param>
/// <param name="Rows">Data rows in the file (when streamed: the rows trained on per epoch).</param>
/// <param name="Inputs">Encoded inputs per row.</param>
/// <param name="Columns">Feature columns the inputs come from.</param>
/// <param name="TrainRows">Rows the network was fitted on.</param>
/// <param name="ValidationRows">Rows held out for early stopping.</param>
/// <param name="TestRows">Rows scored as the test set.</param>
/// <param name="DroppedRows">Rows left out because of missing values.</param>
/// <param name="Folds">K of the search's cross-validation, or 0 for one network (and in files written before it existed).</param>
public sealed record DataSummaryDocument(string File, bool Streamed, long Rows, int Inputs, int Columns, int TrainRows, int ValidationRows, int TestRows, int DroppedRows, int Folds = 0);

/// <summary>R^2, RMSE and MAE on one part of the data, in the targets' units.</summary>
/// <param name="Part">"train", "validation" or "test".</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="R2">Over all targets.</param>
/// <param name="Rmse">Over all targets.</param>
/// <param name="Mae">Over all targets.</param>
/// <param name="Targets">Per target, in output order.</param>
public sealed record PartScoresDocument(string Part, int Rows, double R2, double Rmse, double Mae, IReadOnlyList<TargetScoresDocument> Targets);

/// <summary>R^2, RMSE and MAE of one target.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="R2">Coefficient of determination.</param>
/// <param name="Rmse">Root mean squared error, in the target's units.</param>
/// <param name="Mae">Mean absolute error, in the target's units.</param>
public sealed record TargetScoresDocument(string Target, double R2, double Rmse, double Mae);
