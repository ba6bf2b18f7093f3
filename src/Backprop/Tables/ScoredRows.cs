using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tables;

/// <summary>One part of the data (train, validation, test, or a file) with the model's scores on it.</summary>
/// <param name="Name">"train", "validation", "test", or the file's name.</param>
/// <param name="Rows">The encoded rows, targets in their own units.</param>
/// <param name="Scores">R^2, RMSE and MAE, overall and per target, in the targets' units.</param>
public sealed record ScoredRows(string Name, DataSet Rows, RegressionScores Scores)
{
    /// <summary>
    /// The predictions that were scored, [rows, targets] in the targets' units, when no model could
    /// make them again: the out-of-fold part's, each row predicted by the fold network that did not
    /// train on it. Null for the other parts, which the model predicts as scored.
    /// </summary>
    public double[]? Predictions { get; init; }

    /// <summary>The scores as plain data, the form the model file keeps them in.</summary>
    /// <param name="targets">The target names, in output order.</param>
    public PartScoresDocument ToDocument(IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new PartScoresDocument(Name, Rows.Rows, Scores.R2, Scores.Rmse, Scores.Mae,
            targets.Select((t, k) => new TargetScoresDocument(t, Scores.PerTarget[k].R2, Scores.PerTarget[k].Rmse, Scores.PerTarget[k].Mae)).ToArray());
    }
}
