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
    /// The calibration from out-of-fold results: row i's actual and predicted values (row-major
    /// [rows, targets], in the targets' own units) and the fold that held it out.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, a fold index is outside [0, folds), a fold has no rows, or a value is not finite.</exception>
    public static PredictionIntervals FromOutOfFold(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, int targets, ReadOnlySpan<int> foldOfRow, int folds)
    {
        if (targets < 1 || actual.Length != predicted.Length || actual.Length != foldOfRow.Length * targets)
            throw new ArgumentException($"Shapes disagree: {actual.Length} actual and {predicted.Length} predicted values for {foldOfRow.Length} rows of {targets} targets.");
        if (folds < 2 || folds > IntervalsDocument.MaxFolds)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"CV+ intervals need between 2 and {IntervalsDocument.MaxFolds} folds.");
        var counts = new int[folds];
        foreach (int k in foldOfRow)
        {
            if ((uint)k >= (uint)folds)
                throw new ArgumentException($"A row's fold is {k}; folds are numbered 0 to {folds - 1}.", nameof(foldOfRow));
            counts[k]++;
        }
        var calibrations = new CvPlusInterval[targets];
        for (int t = 0; t < targets; t++)
        {
            var residuals = counts.Select(c => new double[c]).ToArray();
            var filled = new int[folds];
            for (int i = 0; i < foldOfRow.Length; i++)
            {
                int k = foldOfRow[i];
                residuals[k][filled[k]++] = Math.Abs(actual[i * targets + t] - predicted[i * targets + t]);
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
    /// One row's interval for every target: <paramref name="memberPredictions"/> is member-major
    /// [members, targets] (member k = fold k), <paramref name="lower"/> and <paramref name="upper"/>
    /// receive one bound per target.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">The spans do not have the shapes above.</exception>
    public void Bounds(ReadOnlySpan<double> memberPredictions, double coverage, Span<double> lower, Span<double> upper)
    {
        int targets = _targets.Length;
        if (memberPredictions.Length != Folds * targets || lower.Length != targets || upper.Length != targets)
            throw new ArgumentException($"Expected {Folds} members x {targets} targets of predictions and {targets} bounds each side.");
        Span<double> column = stackalloc double[Folds];
        for (int t = 0; t < targets; t++)
        {
            for (int k = 0; k < Folds; k++)
                column[k] = memberPredictions[k * targets + t];
            (lower[t], upper[t]) = _targets[t].Bounds(column, coverage);
        }
    }
}
