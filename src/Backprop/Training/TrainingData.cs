namespace Backprop.Training;

/// <summary>
/// Rows for training or validation, row-major: inputs [rows, features], targets [rows, outputs],
/// optional weights [rows]. Checked once at construction so the training loop need not.
/// </summary>
public sealed class TrainingData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps the arrays after checking their shapes and that every value is finite.</summary>
    /// <param name="inputs">[rows, features].</param>
    /// <param name="targets">[rows, outputs].</param>
    /// <param name="features">Values per input row.</param>
    /// <param name="outputs">Values per target row.</param>
    /// <param name="weights">Per-row sample weights (non-negative, finite, not all zero), or null.</param>
    public TrainingData(T[] inputs, T[] targets, int features, int outputs, T[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (features < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, "features must be at least 1.");
        if (outputs < 1)
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "outputs must be at least 1.");
        if (inputs.Length == 0)
            throw new ArgumentException("The data is empty: at least one row is needed.", nameof(inputs));
        if (inputs.Length % features != 0)
            throw new ArgumentException($"inputs holds {inputs.Length} values, not a whole number of rows of {features} features.", nameof(inputs));
        int rows = inputs.Length / features;
        if (targets.Length != rows * outputs)
            throw new ArgumentException($"Shapes disagree: {rows} input rows but {targets.Length} target values ({outputs} per row expected, so {rows * outputs}).", nameof(targets));
        CheckFinite(inputs, features, "inputs", nameof(inputs));
        CheckFinite(targets, outputs, "targets", nameof(targets));
        if (weights is not null)
        {
            if (weights.Length != rows)
                throw new ArgumentException($"Shapes disagree: {rows} rows but {weights.Length} sample weights.", nameof(weights));
            double total = 0;
            for (int i = 0; i < rows; i++)
            {
                if (!T.IsFinite(weights[i]) || weights[i] < T.Zero)
                    throw new ArgumentException($"Sample weight of row {i} is {weights[i]}; weights must be finite and 0 or more.", nameof(weights));
                total += double.CreateTruncating(weights[i]);
            }
            if (!(total > 0))
                throw new ArgumentException("Sample weights add up to 0; at least one row must have a positive weight.", nameof(weights));
        }
        (Inputs, Targets, Weights, Features, Outputs, Rows) = (inputs, targets, weights, features, outputs, rows);
    }

    /// <summary>[rows, features].</summary>
    public T[] Inputs { get; }

    /// <summary>[rows, outputs].</summary>
    public T[] Targets { get; }

    /// <summary>[rows], or null for equal weights.</summary>
    public T[]? Weights { get; }

    /// <summary>Values per input row.</summary>
    public int Features { get; }

    /// <summary>Values per target row.</summary>
    public int Outputs { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Sum of the sample weights (the row count when unweighted).</summary>
    internal double TotalWeight
    {
        get
        {
            if (Weights is null)
                return Rows;
            double total = 0;
            foreach (var w in Weights)
                total += double.CreateTruncating(w);
            return total;
        }
    }

    private static void CheckFinite(T[] values, int width, string what, string parameter)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
                throw new ArgumentException($"{what} contain {values[i]} at row {i / width}, column {i % width}; NaN and infinite values are not allowed.", parameter);
        }
    }
}
