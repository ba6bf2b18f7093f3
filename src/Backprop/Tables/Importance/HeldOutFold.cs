using Backprop.Regression;

namespace Backprop.Tables.Importance;

/// <summary>Predicts [rows, targets] in the targets' own units from encoded inputs [rows, features]; <see cref="MlpRegressor.Predict(ReadOnlySpan{double}, int)"/> is one.</summary>
internal delegate double[] RowsPredictor(ReadOnlySpan<double> inputs, int rows);

/// <summary>A fold's model and the rows it did not train on (encoded inputs, targets in their own units).</summary>
/// <param name="Predict">The fold's model.</param>
/// <param name="Rows">Its held-out rows.</param>
internal sealed record HeldOutFold(RowsPredictor Predict, DataSet Rows)
{
    /// <summary>Each fold's model with its held-out rows: row i of <paramref name="rows"/> was held out by fold <paramref name="foldOfRow"/>[i], whose model is <paramref name="models"/>[that fold].</summary>
    /// <exception cref="ArgumentException">Not one fold per row, or a fold outside the models, or a fold with no rows.</exception>
    public static HeldOutFold[] Split(DataSet rows, IReadOnlyList<int> foldOfRow, IReadOnlyList<RowsPredictor> models)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(foldOfRow);
        ArgumentNullException.ThrowIfNull(models);
        if (foldOfRow.Count != rows.Rows || foldOfRow.Any(k => (uint)k >= (uint)models.Count))
            throw new ArgumentException($"Every one of the {rows.Rows} rows needs a fold between 0 and {models.Count - 1}.", nameof(foldOfRow));
        return [.. models.Select((model, k) =>
        {
            var held = Enumerable.Range(0, rows.Rows).Where(i => foldOfRow[i] == k).ToArray();
            return held.Length > 0 ? new HeldOutFold(model, rows.Select(held)) : throw new ArgumentException($"Fold {k} held out no row.", nameof(foldOfRow));
        })];
    }
}
