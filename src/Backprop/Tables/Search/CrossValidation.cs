using Backprop.Regression;

namespace Backprop.Tables.Search;

/// <summary>
/// The chosen candidate's cross-validation, kept with the fitted model for what is computed from
/// out-of-fold rows (intervals, importances): member k of <see cref="Ensemble"/> was trained
/// without the rows <see cref="HeldOut"/>[k] and stopped early on them.
/// </summary>
/// <param name="Rows">The encoded training rows, targets in their own units (not transformed).</param>
/// <param name="HeldOut">Per fold, the indices into <paramref name="Rows"/> its member never trained on, ascending.</param>
/// <param name="OutOfFold">Per row, the prediction of the member that did not train on it, [rows, targets] in the targets' units.</param>
/// <param name="Ensemble">The fold networks, member k for fold k.</param>
internal sealed record CrossValidation(DataSet Rows, IReadOnlyList<int[]> HeldOut, double[] OutOfFold, Ensemble Ensemble)
{
    /// <summary>Fold <paramref name="fold"/>'s held-out rows.</summary>
    public DataSet HeldOutRows(int fold) => Rows.Select(HeldOut[fold]);

    /// <summary>Fold <paramref name="fold"/>'s member's predictions for <paramref name="rows"/> encoded rows, in the targets' units.</summary>
    public double[] PredictFold(int fold, ReadOnlySpan<double> inputs, int rows) => Ensemble.PredictMember(fold, inputs, rows);
}
