using Backprop.Regression;

namespace Backprop.Tables.Importance;

/// <summary>Predicts [rows, targets] in the targets' own units from encoded inputs [rows, features]; <see cref="MlpRegressor.Predict(ReadOnlySpan{double}, int)"/> is one.</summary>
internal delegate double[] RowsPredictor(ReadOnlySpan<double> inputs, int rows);

/// <summary>A fold's model and the rows it did not train on (encoded inputs, targets in their own units).</summary>
/// <param name="Predict">The fold's model.</param>
/// <param name="Rows">Its held-out rows.</param>
internal sealed record HeldOutFold(RowsPredictor Predict, DataSet Rows);
