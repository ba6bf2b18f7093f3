namespace Backprop.Serialization;

/// <summary>
/// What the fit that made a model measured, kept in the model file so that the numbers travel with
/// the weights: the data summary, the scores on each part and the warnings. Absent from files
/// written before it existed.
/// </summary>
/// <param name="Data">What was read and how it was split.</param>
/// <param name="Scores">Train (unless streamed), validation and test, in that order, for the parts that had rows.</param>
/// <param name="Warnings">The warnings the fit gave about the data.</param>
public sealed record ReportDocument(DataSummaryDocument Data, IReadOnlyList<PartScoresDocument> Scores, IReadOnlyList<string> Warnings);

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
public sealed record DataSummaryDocument(string File, bool Streamed, long Rows, int Inputs, int Columns, int TrainRows, int ValidationRows, int TestRows, int DroppedRows);

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
