using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>The result of <see cref="TableEncoder.Encode"/>: model-ready matrices plus what was left out.</summary>
public sealed class EncodedData
{
    internal EncodedData(double[] features, double[]? targets, int[] sourceRows, int featureCount, int targetCount,
        int droppedRows, IReadOnlyDictionary<string, int> unseenCategories)
    {
        Features = features;
        Targets = targets;
        SourceRows = sourceRows;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        DroppedRows = droppedRows;
        UnseenCategories = unseenCategories;
    }

    /// <summary>Encoded features, row-major <c>[Rows, FeatureCount]</c>.</summary>
    public double[] Features { get; }

    /// <summary>
    /// Raw (unscaled) targets, row-major <c>[Rows, TargetCount]</c>; null when targets were not required
    /// and the table has no target columns. When targets were not required, a missing target is NaN
    /// (the row is kept so it still gets a prediction); skip such rows when scoring.
    /// </summary>
    public double[]? Targets { get; }

    /// <summary>For each encoded row, its 0-based row index in the source <see cref="DataTable"/>.</summary>
    public int[] SourceRows { get; }

    /// <summary>Number of encoded rows.</summary>
    public int Rows => SourceRows.Length;

    /// <summary>Width of a feature row.</summary>
    public int FeatureCount { get; }

    /// <summary>Width of a target row.</summary>
    public int TargetCount { get; }

    /// <summary>Rows left out because of missing values (policy Drop, or a missing target).</summary>
    public int DroppedRows { get; }

    /// <summary>
    /// Per text column, how many rows held a category not seen in training (encoded as all zeros).
    /// Only columns with at least one such row appear.
    /// </summary>
    public IReadOnlyDictionary<string, int> UnseenCategories { get; }
}
