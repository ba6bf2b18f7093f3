using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tables.Importance;

/// <summary>
/// Permutation importance per original column on out-of-fold rows: how much a fold model's
/// predictions of its held-out rows worsen when one column's inputs are shuffled among those rows.
/// </summary>
/// <remarks>
/// <para>All the inputs of a column (one-hot levels, was-missing input, date parts) move together,
/// so a row keeps a consistent encoding and a column is scored once, not level by level. For each
/// fold and repeat the rise in mean squared error (and the drop in R^2, which is that rise over the
/// fold's target variance, averaged over targets) is measured against the same rows unshuffled;
/// the result is the mean and standard deviation over folds x repeats.</para>
/// <para>Each (fold, column, repeat) draws its permutation from its own stream of the seed, and
/// each result goes to its own slot, so the numbers are the same for a seed whatever the number
/// of threads. A fold of more than <see cref="MaxRowsPerFold"/> held-out rows is measured on a
/// seeded sample of that many, which bounds the cost on large tables.</para>
/// <para>An importance near zero or below it means the model does not rely on the column (or
/// relies on another column that carries the same information: correlated columns share their
/// importance, since shuffling one leaves the other).</para>
/// </remarks>
internal static class PermutationImportance
{
    /// <summary>Held-out rows measured per fold, at most.</summary>
    public const int MaxRowsPerFold = 5000;

    /// <summary>Permutations per column and fold when the caller has no reason to choose.</summary>
    public const int DefaultRepeats = 3;

    private const ulong ImportanceStream = 0x494D_504F_5254_0001UL;

    /// <summary>Measures every column; the result lists them most important (largest MSE rise) first.</summary>
    /// <param name="folds">Each fold's model and held-out rows, all with the same inputs and targets.</param>
    /// <param name="columns">The columns and their inputs (<see cref="ColumnInputs.Of"/>).</param>
    /// <param name="repeats">Permutations per column and fold, at least 1.</param>
    /// <param name="seed">Fixes the permutations.</param>
    /// <param name="maxThreads">Columns measured at once; -1 for as many as the machine has. The result does not depend on it.</param>
    /// <exception cref="ArgumentException">No fold, folds with different shapes, or a column outside the inputs.</exception>
    public static ImportanceDocument Compute(IReadOnlyList<HeldOutFold> folds, IReadOnlyList<ColumnInputs> columns, int repeats, ulong seed, int maxThreads = -1)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (folds.Count == 0)
            throw new ArgumentException("Permutation importance needs at least one fold.", nameof(folds));
        int features = folds[0].Rows.Features, outputs = folds[0].Rows.Outputs;
        if (folds.Any(f => f.Rows.Features != features || f.Rows.Outputs != outputs || f.Rows.Rows == 0))
            throw new ArgumentException("Every fold needs held-out rows with the same inputs and targets.", nameof(folds));
        if (columns.Any(c => c.Offset < 0 || c.Width < 1 || c.Offset + c.Width > features))
            throw new ArgumentException($"A column's inputs fall outside the {features} inputs.", nameof(columns));

        var measured = folds.Select((f, k) => Sample(f, seed, k)).ToArray();
        var baseline = measured.Select(f => Score(f, f.Rows.Inputs)).ToArray();
        int trials = measured.Length * repeats;
        var rise = new double[columns.Count][];
        var drop = new double[columns.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, columns.Count, parallel, c =>
        {
            rise[c] = new double[trials];
            drop[c] = new double[trials];
            for (int k = 0; k < measured.Length; k++)
            {
                var rows = measured[k].Rows;
                var shuffled = (double[])rows.Inputs.Clone();
                var order = new int[rows.Rows];
                for (int r = 0; r < repeats; r++)
                {
                    for (int i = 0; i < order.Length; i++)
                        order[i] = i;
                    new Rng(StreamOf(seed, k, c, r)).Shuffle(order);
                    var (offset, width) = (columns[c].Offset, columns[c].Width);
                    for (int i = 0; i < order.Length; i++)
                        rows.Inputs.AsSpan(order[i] * features + offset, width).CopyTo(shuffled.AsSpan(i * features + offset, width));
                    var score = Score(measured[k], shuffled);
                    rise[c][k * repeats + r] = score.Rmse * score.Rmse - baseline[k].Rmse * baseline[k].Rmse;
                    drop[c][k * repeats + r] = baseline[k].R2 - score.R2;
                }
            }
        });
        var result = columns.Select((c, j) => new ColumnImportanceDocument(c.Name, Mean(rise[j]), Spread(rise[j]), Mean(drop[j]), Spread(drop[j])))
            .OrderByDescending(c => c.MseRise) // stable: equal rises keep the columns' order
            .ToArray();
        return new ImportanceDocument(folds.Count, repeats, seed, result);
    }

    private static RegressionScores Score(HeldOutFold fold, double[] inputs) =>
        RegressionScores.Compute(fold.Predict(inputs, fold.Rows.Rows), fold.Rows.Targets, fold.Rows.Outputs);

    // The fold itself, or a seeded sample of MaxRowsPerFold of its rows in their original order.
    private static HeldOutFold Sample(HeldOutFold fold, ulong seed, int k)
    {
        if (fold.Rows.Rows <= MaxRowsPerFold)
            return fold;
        var order = Enumerable.Range(0, fold.Rows.Rows).ToArray();
        new Rng(StreamOf(seed, k, -1, -1)).Shuffle(order);
        var kept = order[..MaxRowsPerFold];
        Array.Sort(kept);
        return fold with { Rows = fold.Rows.Select(kept) };
    }

    private static ulong StreamOf(ulong seed, int fold, int column, int repeat) =>
        seed ^ ImportanceStream ^ ((ulong)(uint)fold * 0x9E37_79B9_7F4A_7C15UL) ^ ((ulong)(uint)column * 0xC2B2_AE3D_27D4_EB4FUL) ^ ((ulong)(uint)repeat * 0x1656_67B1_9E37_79F9UL);

    private static double Mean(double[] values) => values.Average();

    // Sample standard deviation; 0 for a single trial.
    private static double Spread(double[] values)
    {
        if (values.Length < 2)
            return 0;
        double mean = Mean(values), sum = 0;
        foreach (double v in values)
            sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (values.Length - 1));
    }
}
