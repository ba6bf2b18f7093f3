namespace Backprop.Tables;

/// <summary>What <see cref="TableModel.PredictFile(string, string, Data.Csv.CsvOptions?, bool, double?)"/> wrote.</summary>
/// <param name="Rows">Rows written.</param>
/// <param name="DroppedRows">Rows with a missing value the model does not fill; their predictions are empty.</param>
/// <param name="UnseenCategories">Per text column, rows whose category was not seen in training (encoded as all zeros).</param>
/// <param name="Warnings">The two above as sentences for a user, when they happened.</param>
public sealed record PredictionSummary(int Rows, int DroppedRows, IReadOnlyDictionary<string, int> UnseenCategories, IReadOnlyList<string> Warnings);
