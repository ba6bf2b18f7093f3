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

    // A stream of the one seed kept for the validation hold-out, apart from the weights' stream.
    private const ulong HoldOutStream = 0x5350_4C49_5421_0001UL;

    /// <summary>
    /// Checks that the rows can be trained on or scored: at least one feature, one target and one
    /// row, shapes that agree, and no NaN or infinite value. Every consumer of rows calls this, so
    /// the rules and their messages live here only.
    /// </summary>
    /// <param name="what">Which rows these are, for the message: "training", "validation", ...</param>
    /// <exception cref="ArgumentException">The rows break one of the rules; the message says which and where.</exception>
    public void Validate(string what)
    {
        if (Features < 1 || Outputs < 1)
            throw new ArgumentException($"The {what} data needs at least one feature and one target per row.");
        if (Inputs.Length == 0)
            throw new ArgumentException($"The {what} data is empty: at least one row is needed.");
        if (Inputs.Length % Features != 0 || Targets.Length != Rows * Outputs)
            throw new ArgumentException($"Shapes disagree in the {what} data: {Inputs.Length} input values at {Features} per row, {Targets.Length} target values at {Outputs} per row.");
        if (Weights is not null && Weights.Length != Rows)
            throw new ArgumentException($"Shapes disagree in the {what} data: {Rows} rows but {Weights.Length} sample weights.");
        RequireFinite(Inputs, Features, what, "input");
        RequireFinite(Targets, Outputs, what, "target");
    }

    /// <summary>The index of the first NaN or infinite value, or -1.</summary>
    internal static int FirstNonFinite<TNumber>(ReadOnlySpan<TNumber> values)
        where TNumber : unmanaged, IFloatingPointIeee754<TNumber>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!TNumber.IsFinite(values[i]))
                return i;
        }
        return -1;
    }

    private static void RequireFinite(double[] values, int width, string what, string kind)
    {
        if (FirstNonFinite<double>(values) is int i and >= 0)
            throw new ArgumentException($"The {what} data has {(double.IsNaN(values[i]) ? "NaN" : "an infinite value")} in {kind} row {i / width}, column {i % width}; NaN and infinite values are not allowed (drop or fill them first).");
    }

    /// <summary>The given rows, in the given order (with their weights).</summary>
    public DataSet Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var x = new double[rows.Count * Features];
        var y = new double[rows.Count * Outputs];
        var w = Weights is null ? null : new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Inputs.AsSpan(rows[i] * Features, Features).CopyTo(x.AsSpan(i * Features));
            Targets.AsSpan(rows[i] * Outputs, Outputs).CopyTo(y.AsSpan(i * Outputs));
            if (w is not null)
                w[i] = Weights![rows[i]];
        }
        return new DataSet(x, Features, y, Outputs, w);
    }

    /// <summary>
    /// Holds out a random <paramref name="fraction"/> of the rows for validation, fixed by
    /// <paramref name="seed"/>; rows keep their original order within each part. Data with fewer
    /// than 20 rows, or a hold-out of fewer than 2, is not split (validation is null).
    /// </summary>
    public (DataSet Train, DataSet? Validation) HoldOut(double fraction, ulong seed)
    {
        int held = (int)Math.Round(Rows * fraction);
        if (Rows < 20 || held < 2 || held >= Rows)
            return (this, null);
        var order = Enumerable.Range(0, Rows).ToArray();
        new Numerics.Rng(seed ^ HoldOutStream).Shuffle(order);
        var validation = order[..held];
        var train = order[held..];
        Array.Sort(validation);
        Array.Sort(train);
        return (Select(train), Select(validation));
    }

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
