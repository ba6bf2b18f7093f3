namespace Backprop.Regression;

/// <summary>
/// Rows for a regressor, row-major: inputs [rows, features], targets [rows, outputs], optional
/// sample weights [rows]. Use <see cref="FromRows(double[][], double[], double[])"/> for jagged arrays.
/// </summary>
/// <param name="Inputs">[rows, Features].</param>
/// <param name="Features">Values per input row.</param>
/// <param name="Targets">[rows, Outputs].</param>
/// <param name="Outputs">Values per target row.</param>
/// <param name="Weights">Per-row weights, or null for equal weights.</param>
public sealed record DataSet(double[] Inputs, int Features, double[] Targets, int Outputs, double[]? Weights = null)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Features > 0 ? Inputs.Length / Features : 0;

    /// <summary>One target per row.</summary>
    public static DataSet FromRows(double[][] inputs, double[] targets, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return FromRows(inputs, targets.Select(t => new[] { t }).ToArray(), weights);
    }

    /// <summary>Several targets per row.</summary>
    public static DataSet FromRows(double[][] inputs, double[][] targets, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Length == 0)
            throw new ArgumentException("The data is empty: at least one row is needed.", nameof(inputs));
        if (targets.Length != inputs.Length)
            throw new ArgumentException($"Shapes disagree: {inputs.Length} input rows but {targets.Length} targets.", nameof(targets));
        return new DataSet(Flatten(inputs, nameof(inputs)), inputs[0].Length, Flatten(targets, nameof(targets)), targets[0].Length, weights);
    }

    internal static double[] Flatten(double[][] rows, string name)
    {
        int width = rows[0]?.Length ?? 0;
        if (width == 0)
            throw new ArgumentException($"{name} rows must hold at least one value.", name);
        var flat = new double[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != width)
                throw new ArgumentException($"Shapes disagree: {name} row {i} has {rows[i]?.Length ?? 0} values, row 0 has {width}.", name);
            rows[i].CopyTo(flat, i * width);
        }
        return flat;
    }
}
