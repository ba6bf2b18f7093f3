using Backprop.Regression;

namespace Backprop.Tables.Importance;

/// <summary>Predicts [rows, targets] in the targets' own units from encoded inputs [rows, features]; <see cref="MlpRegressor.Predict(ReadOnlySpan{double}, int)"/> is one.</summary>
internal delegate double[] RowsPredictor(ReadOnlySpan<double> inputs, int rows);

/// <summary>A fold's model and the rows it did not train on (encoded inputs, targets in their own units).</summary>
/// <param name="Predict">The fold's model.</param>
/// <param name="Rows">Its held-out rows.</param>
internal sealed record HeldOutFold(RowsPredictor Predict, DataSet Rows)
{
    /// <summary>Each fold's model with its held-out rows: fold k held out the rows <paramref name="heldOut"/>[k] of <paramref name="rows"/>, and its model is <paramref name="models"/>[k].</summary>
    /// <exception cref="ArgumentException">Not one model per fold, a fold with no row, or a row outside the rows.</exception>
    public static HeldOutFold[] Split(DataSet rows, IReadOnlyList<int[]> heldOut, IReadOnlyList<RowsPredictor> models)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(models);
        if (heldOut.Count != models.Count)
            throw new ArgumentException($"{heldOut.Count} folds but {models.Count} models; fold k's model is models[k].", nameof(models));
        if (heldOut.Any(fold => fold is null || fold.Length == 0 || fold.Any(i => (uint)i >= (uint)rows.Rows)))
            throw new ArgumentException($"Every fold needs held-out rows, among the {rows.Rows} rows.", nameof(heldOut));
        return [.. heldOut.Select((fold, k) => new HeldOutFold(models[k], rows.Select(fold)))];
    }
}
