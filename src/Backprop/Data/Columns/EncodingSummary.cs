namespace Backprop.Data.Columns;

/// <summary>What <see cref="TableEncoder.Encode(Csv.DataTable, bool, out EncodingSummary)"/> left out or could not place.</summary>
/// <param name="SourceRows">For each encoded row, its 0-based row index in the source table.</param>
/// <param name="DroppedRows">Rows left out because of missing values (policy Drop, or a missing target).</param>
/// <param name="UnseenCategories">
/// Per text column, how many rows held a category not seen in training (encoded as all zeros).
/// Only columns with at least one such row appear.
/// </param>
public sealed record EncodingSummary(int[] SourceRows, int DroppedRows, IReadOnlyDictionary<string, int> UnseenCategories)
{
    /// <summary>Of <see cref="DroppedRows"/>, those whose target was empty (the rest had an empty feature, under <see cref="MissingPolicy.Drop"/>).</summary>
    public int MissingTargetRows { get; init; }

    /// <summary>Per feature column, the empty fields filled (<see cref="MissingPolicy.Mean"/>, <see cref="MissingPolicy.Impute"/>). Only columns with at least one appear, in column order.</summary>
    public IReadOnlyDictionary<string, int> FilledCells { get; init; } = new Dictionary<string, int>();
}
