using Backprop.Serialization;

namespace Backprop.Tables.Intervals;

/// <summary>
/// Prediction intervals for one target by CV+ (Barber, Candès, Ramdas and Tibshirani, "Predictive
/// inference with the jackknife+", Annals of Statistics 2021), from K-fold cross-validation.
/// </summary>
/// <remarks>
/// <para>Row i of the n training rows was held out by fold k(i), whose model mu_k(i) did not see it;
/// R_i = |y_i - mu_k(i)(x_i)|. For a new row x and coverage 1 - alpha, the interval is</para>
/// <para>lower = the floor(alpha (n + 1))-th smallest of mu_k(i)(x) - R_i,
/// upper = the ceil((1 - alpha)(n + 1))-th smallest of mu_k(i)(x) + R_i, over i = 1..n,</para>
/// <para>so each residual is added to the prediction of the very model that did not see its row.
/// Guarantee: for exchangeable rows and K folds of equal size, P(y in [lower, upper]) is at least
/// 1 - 2 alpha less a term that vanishes as the folds grow (the paper's Theorem 4), and about
/// 1 - alpha in practice, a little above it because each fold model trained on (K - 1) / K of the rows. Where alpha (n + 1) &lt; 1 (too few rows for the
/// coverage asked, e.g. fewer than 19 at 0.9) the interval is infinite, which is the honest answer.</para>
/// <para>A fold of more than <see cref="IntervalsDocument.MaxPointsPerFold"/> rows is kept as that
/// many quantiles, each the largest residual of an equal share (to a row) of the fold's rows and
/// counted as that share; the bounds are then slightly wide, never narrow.</para>
/// <para>Residuals and bounds are in the target's own units: with a target transform, pass the
/// members' predictions after mapping them back.</para>
/// </remarks>
internal sealed class CvPlusInterval
{
    // Per fold: residual magnitudes ascending (all of them, or quantiles), and the fold's rows.
    private readonly double[][] _residuals;
    private readonly int[] _rows;

    private CvPlusInterval(double[][] sortedResiduals, int[] rows)
    {
        _residuals = sortedResiduals;
        _rows = rows;
        Rows = rows.Sum(r => (long)r);
    }

    /// <summary>Folds, and so ensemble members: member k is the model of fold k.</summary>
    public int Folds => _residuals.Length;

    /// <summary>Calibration rows n: the held-out rows of all folds.</summary>
    public long Rows { get; }

    /// <summary>
    /// The calibration from each fold's out-of-fold residual magnitudes |y - prediction| (any
    /// order; fold k's rows were predicted by member k).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 or more than <see cref="IntervalsDocument.MaxFolds"/> folds, an empty fold, or a residual that is negative, NaN or infinite.</exception>
    public static CvPlusInterval FromResiduals(IReadOnlyList<double[]> foldResiduals)
    {
        ArgumentNullException.ThrowIfNull(foldResiduals);
        if (foldResiduals.Count < 2 || foldResiduals.Count > IntervalsDocument.MaxFolds)
            throw new ArgumentException($"CV+ intervals need between 2 and {IntervalsDocument.MaxFolds} folds; got {foldResiduals.Count}.", nameof(foldResiduals));
        var kept = new double[foldResiduals.Count][];
        var rows = new int[foldResiduals.Count];
        for (int k = 0; k < kept.Length; k++)
        {
            var r = foldResiduals[k] ?? throw new ArgumentNullException(nameof(foldResiduals), $"Fold {k + 1} has no residuals.");
            if (r.Length == 0)
                throw new ArgumentException($"Fold {k + 1} has no held-out rows.", nameof(foldResiduals));
            if (Array.FindIndex(r, v => !double.IsFinite(v) || v < 0) is int bad and >= 0)
                throw new ArgumentException($"Fold {k + 1}'s residual {bad + 1} is {r[bad]}; residual magnitudes are finite and not negative.", nameof(foldResiduals));
            var sorted = (double[])r.Clone();
            Array.Sort(sorted);
            kept[k] = Quantiles(sorted, IntervalsDocument.MaxPointsPerFold);
            rows[k] = r.Length;
        }
        return new CvPlusInterval(kept, rows);
    }

    /// <summary>Rebuilds the calibration of one target from its model-file record (validated when the file was read).</summary>
    public static CvPlusInterval FromDocument(TargetResidualsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new CvPlusInterval([.. document.Folds.Select(f => (double[])f.Residuals.Clone())], [.. document.Folds.Select(f => f.Rows)]);
    }

    /// <summary>The model-file record of this calibration.</summary>
    public TargetResidualsDocument ToDocument(string target) =>
        new(target, [.. _residuals.Select((r, k) => new FoldResidualsDocument(_rows[k], (double[])r.Clone()))]);

    /// <summary>
    /// The interval for one row, given each member's prediction for it (member k = fold k, in the
    /// target's own units) and the coverage, e.g. 0.9; lower &lt;= upper. Infinite bounds mean too few calibration
    /// rows for that coverage.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is below 0.5 (where CV+ bounds can cross), 1 or more, or NaN.</exception>
    /// <exception cref="ArgumentException">Not one prediction per fold.</exception>
    public (double Lower, double Upper) Bounds(ReadOnlySpan<double> memberPredictions, double coverage)
    {
        IntervalCoverage.Check(coverage, nameof(coverage));
        if (memberPredictions.Length != Folds)
            throw new ArgumentException($"CV+ needs one prediction per fold model ({Folds}); got {memberPredictions.Length}.", nameof(memberPredictions));
        long rank = Rank(coverage);
        if (rank < 1)
            return (double.NegativeInfinity, double.PositiveInfinity);
        // The floor(alpha (n + 1))-th smallest of mu - R is minus the same-rank largest of -mu + R;
        // the ceil((1 - alpha)(n + 1))-th smallest of mu + R is its floor(alpha (n + 1))-th largest.
        Span<double> negated = stackalloc double[Folds];
        for (int k = 0; k < Folds; k++)
            negated[k] = -memberPredictions[k];
        return (-LargestAt(negated, rank), LargestAt(memberPredictions, rank));
    }

    // floor(alpha (n + 1)), alpha = 1 - coverage: at most n, as alpha < 1. The nudge keeps
    // (1 - 0.9) x 20 = 1.9999999999999996 at 2.
    private long Rank(double coverage) => Math.Min(Rows, (long)Math.Floor((1 - coverage) * (Rows + 1) + 1e-9));

    // The rank-th largest of centers[k] + r over every fold k and kept residual r of it, each
    // counted as the rows it stands for: a merge from the top of the folds' ascending lists.
    private double LargestAt(ReadOnlySpan<double> centers, long rank)
    {
        Span<int> next = stackalloc int[Folds];
        for (int k = 0; k < Folds; k++)
            next[k] = _residuals[k].Length - 1;
        long counted = 0;
        double value = double.NegativeInfinity;
        while (counted < rank)
        {
            int best = -1;
            for (int k = 0; k < Folds; k++)
            {
                if (next[k] >= 0 && (best < 0 || centers[k] + _residuals[k][next[k]] > value))
                {
                    best = k;
                    value = centers[k] + _residuals[k][next[k]];
                }
            }
            counted += Share(_rows[best], _residuals[best].Length, next[best]);
            next[best]--;
        }
        return value;
    }

    // Of n ascending residuals kept as m points, point j is the largest of the sorted residuals
    // ceil(j n / m) to ceil((j + 1) n / m) - 1 and stands for all of them: one each when n <= m.
    private static long Share(int n, int m, int j) => BlockEnd(n, m, j) - BlockEnd(n, m, j - 1);

    // ceil((j + 1) n / m), the end (exclusive) of point j's block.
    private static long BlockEnd(int n, int m, int j) => ((long)(j + 1) * n + m - 1) / m;

    private static double[] Quantiles(double[] sorted, int cap)
    {
        if (sorted.Length <= cap)
            return sorted;
        var points = new double[cap];
        for (int j = 0; j < cap; j++)
            points[j] = sorted[BlockEnd(sorted.Length, cap, j) - 1];
        return points;
    }
}
