namespace Backprop.Serialization;

/// <summary>
/// The calibration of a model's prediction intervals, kept in the model file: for each target and
/// each cross-validation fold, the sorted magnitudes of the out-of-fold residuals of the fold's
/// held-out rows, in the target's own units. Optional: files without it have no intervals.
/// </summary>
/// <param name="Method">Always <c>"cv+"</c> (docs/model-format.md).</param>
/// <param name="Targets">One entry per target, in output order.</param>
public sealed record IntervalsDocument(string Method, IReadOnlyList<TargetResidualsDocument> Targets)
{
    /// <summary>The only method this library writes and reads.</summary>
    public const string CvPlus = "cv+";

    /// <summary>
    /// A fold keeps at most this many residuals: its quantiles, each standing for an equal share
    /// of the fold's rows, so the file stays small for a table of any size.
    /// </summary>
    public const int MaxPointsPerFold = 1000;

    /// <summary>Folds a calibration may have: CV+ needs at least two models, and a file may not claim more than this.</summary>
    public const int MaxFolds = 100;

    /// <summary>What is wrong with the record, or null when it can be used; <paramref name="targetNames"/> are the model's outputs.</summary>
    internal string? Problem(IReadOnlyList<string>? targetNames, int outputs)
    {
        if (Method != CvPlus)
            return $"'intervals.method' is '{Method}'; this Backprop reads only '{CvPlus}'.";
        if (Targets is null || Targets.Count != outputs)
            return $"'intervals.targets' must hold one entry per target ({outputs}).";
        for (int t = 0; t < Targets.Count; t++)
        {
            var target = Targets[t];
            if (target is null || target.Target is null || target.Folds is null)
                return $"'intervals.targets' entry {t + 1} is incomplete (a null name or folds).";
            if (targetNames is not null && targetNames[t] != target.Target)
                return $"'intervals.targets' entry {t + 1} is for '{target.Target}' but output {t + 1} is '{targetNames[t]}'.";
            if (target.Folds.Count < 2 || target.Folds.Count > MaxFolds)
                return $"the intervals of '{target.Target}' have {target.Folds.Count} folds; between 2 and {MaxFolds} are allowed.";
            if (target.Folds.Count != Targets[0].Folds.Count)
                return $"the intervals of '{target.Target}' have {target.Folds.Count} folds but those of '{Targets[0].Target}' have {Targets[0].Folds.Count}.";
            for (int k = 0; k < target.Folds.Count; k++)
            {
                if (target.Folds[k] is not { } fold)
                    return $"the intervals of '{target.Target}', fold {k + 1}, are incomplete (null).";
                if (fold.Problem() is { } problem)
                    return $"the intervals of '{target.Target}', fold {k + 1}: {problem}";
            }
        }
        return null;
    }
}

/// <summary>One target's residuals, per fold.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Folds">One entry per fold, in fold order (fold k's model is ensemble member k).</param>
public sealed record TargetResidualsDocument(string Target, IReadOnlyList<FoldResidualsDocument> Folds);

/// <summary>One fold's out-of-fold residual magnitudes.</summary>
/// <param name="Rows">The fold's held-out rows.</param>
/// <param name="Residuals">
/// |actual - predicted| of those rows, ascending: all of them, or, for a fold of more than
/// <see cref="IntervalsDocument.MaxPointsPerFold"/> rows, that many quantiles.
/// </param>
public sealed record FoldResidualsDocument(int Rows, double[] Residuals)
{
    internal string? Problem()
    {
        if (Residuals is null || Rows < 1)
            return $"'rows' is {Rows} with {(Residuals is null ? "no" : Residuals.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))} residuals; a fold has at least one row.";
        int expected = Math.Min(Rows, IntervalsDocument.MaxPointsPerFold);
        if (Residuals.Length != expected)
            return $"{Residuals.Length} residuals for {Rows} rows; expected {expected}.";
        for (int i = 0; i < Residuals.Length; i++)
        {
            if (!double.IsFinite(Residuals[i]) || Residuals[i] < 0)
                return $"residual {i + 1} is {Residuals[i]}; residuals are finite and not negative.";
            if (i > 0 && Residuals[i] < Residuals[i - 1])
                return $"the residuals are not in ascending order (at {i + 1}).";
        }
        return null;
    }
}
