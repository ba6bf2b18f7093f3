using Backprop.Regression;

namespace Backprop.Tables;

/// <summary>One part of the data (train, validation, test, or a file) with the model's scores on it.</summary>
/// <param name="Name">"train", "validation", "test", or the file's name.</param>
/// <param name="Rows">The encoded rows, targets in their own units.</param>
/// <param name="Scores">R^2, RMSE and MAE, overall and per target, in the targets' units.</param>
public sealed record ScoredRows(string Name, DataSet Rows, RegressionScores Scores);
