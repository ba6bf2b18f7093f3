using Backprop.Serialization;

namespace Backprop.Tables.Intervals;

/// <summary>
/// CV+ prediction intervals for every target of an ensemble of K fold models (see
/// <see cref="CvPlusInterval"/> for the method and its guarantee), built from the out-of-fold
/// predictions and stored in the model file as an <see cref="IntervalsDocument"/>.
/// </summary>
internal sealed class PredictionIntervals
{
    private readonly CvPlusInterval[] _targets;

    private PredictionIntervals(CvPlusInterval[] targets) => _targets = targets;

    /// <summary>One calibration per target, in output order.</summary>
    public IReadOnlyList<CvPlusInterval> Targets => _targets;

    /// <summary>Folds, and so ensemble members.</summary>
    public int Folds => _targets[0].Folds;

    /// <summary>
    /// The calibration from out-of-fold results: the actual and out-of-fold predicted values of
    /// the training rows (row-major [rows, targets], in the targets' own units) and, per fold, the
    /// rows it held out (fold k's model, ensemble member k, predicted them).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, a fold holds no row or a row outside the rows, or a value is not finite.</exception>
    public static PredictionIntervals FromOutOfFold(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, int targets, IReadOnlyList<int[]> heldOut)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        if (targets < 1 || actual.Length != predicted.Length || actual.Length % targets != 0)
            throw new ArgumentException($"Shapes disagree: {actual.Length} actual and {predicted.Length} predicted values for {targets} targets.");
        int rows = actual.Length / targets;
        if (heldOut.Any(fold => fold is null || fold.Any(i => (uint)i >= (uint)rows)))
            throw new ArgumentException($"A fold holds a row outside the {rows} rows.", nameof(heldOut));
        var calibrations = new CvPlusInterval[targets];
        for (int t = 0; t < targets; t++)
        {
            var residuals = new double[heldOut.Count][];
            for (int k = 0; k < residuals.Length; k++)
            {
                residuals[k] = new double[heldOut[k].Length];
                for (int j = 0; j < residuals[k].Length; j++)
                {
                    int i = heldOut[k][j] * targets + t;
                    residuals[k][j] = Math.Abs(actual[i] - predicted[i]);
                }
            }
            calibrations[t] = CvPlusInterval.FromResiduals(residuals);
        }
        return new PredictionIntervals(calibrations);
    }

    /// <summary>Rebuilds the intervals from a model file's record, which the reader has validated.</summary>
    public static PredictionIntervals FromDocument(IntervalsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new PredictionIntervals([.. document.Targets.Select(CvPlusInterval.FromDocument)]);
    }

    /// <summary>The model-file record, one entry per target name.</summary>
    public IntervalsDocument ToDocument(IReadOnlyList<string> targetNames)
    {
        ArgumentNullException.ThrowIfNull(targetNames);
        if (targetNames.Count != _targets.Length)
            throw new ArgumentException($"{targetNames.Count} target names for {_targets.Length} calibrated targets.", nameof(targetNames));
        return new IntervalsDocument(IntervalsDocument.CvPlus, [.. _targets.Select((c, t) => c.ToDocument(targetNames[t]))]);
    }

    /// <summary>
    /// The intervals of a batch of rows: <paramref name="memberPredictions"/>[k] is member k's
    /// (fold k's) predictions, [rows, targets] in the targets' own units; the bounds come back in
    /// the same shape. Infinite bounds mean too few calibration rows for the coverage.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is below 0.5 (where CV+ bounds can cross), 1 or more, or NaN.</exception>
    /// <exception cref="ArgumentException">Not one prediction array per fold, or arrays of different or ragged shapes.</exception>
    public (double[] Lower, double[] Upper) Bounds(IReadOnlyList<double[]> memberPredictions, double coverage)
    {
        ArgumentNullException.ThrowIfNull(memberPredictions);
        IntervalCoverage.Check(coverage, nameof(coverage));
        int targets = _targets.Length;
        if (memberPredictions.Count != Folds)
            throw new ArgumentException($"CV+ needs the predictions of every fold model ({Folds}); got {memberPredictions.Count}.", nameof(memberPredictions));
        int length = memberPredictions[0].Length;
        if (length % targets != 0 || memberPredictions.Any(p => p.Length != length))
            throw new ArgumentException($"Every member's predictions must be [rows, {targets}], the same rows for all.", nameof(memberPredictions));
        var lower = new double[length];
        var upper = new double[length];
        Span<double> row = stackalloc double[Folds];
        for (int i = 0; i < length; i++)
        {
            for (int k = 0; k < Folds; k++)
                row[k] = memberPredictions[k][i];
            (lower[i], upper[i]) = _targets[i % targets].Bounds(row, coverage);
        }
        return (lower, upper);
    }
}
