using Backprop.Regression;

namespace Backprop.Tables;

/// <summary>A model's scores on a labelled file, with what was left out on the way.</summary>
/// <param name="Scored">The rows scored and the scores.</param>
/// <param name="DroppedRows">Rows left out because of missing values (targets or features).</param>
/// <param name="UnseenCategories">Per text column, rows whose category was not seen in training (encoded as all zeros).</param>
/// <param name="Warnings">The two above as sentences for a user, when they happened.</param>
public sealed record FileScores(ScoredRows Scored, int DroppedRows, IReadOnlyDictionary<string, int> UnseenCategories, IReadOnlyList<string> Warnings)
{
    /// <summary>R^2, RMSE and MAE in the targets' units.</summary>
    public RegressionScores Scores => Scored.Scores;

    /// <summary>Of <see cref="DroppedRows"/>, those left out because a target was missing.</summary>
    public int MissingTargetRows { get; init; }
}
