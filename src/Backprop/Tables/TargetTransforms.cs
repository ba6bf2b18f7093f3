namespace Backprop.Tables;

/// <summary>Applies and undoes a <see cref="TargetTransform"/>, and says when the log is worth trying.</summary>
internal static class TargetTransforms
{
    /// <summary>
    /// Skewness above which a positive target is offered the log. A right-skewed positive target
    /// (prices, counts) is roughly symmetric after it; on a symmetric one the log only bends the
    /// scale. 1 is the usual "highly skewed" line.
    /// </summary>
    public const double SkewForLog = 1.0;

    public static void Apply(TargetTransform transform, Span<double> targets)
    {
        if (transform != TargetTransform.Log)
            return;
        foreach (ref double y in targets)
            y = Math.Log(y);
    }

    /// <summary>Back to the targets' units. e^z is capped at the largest double, so a prediction is never infinite.</summary>
    public static void Invert(TargetTransform transform, Span<double> predictions)
    {
        if (transform != TargetTransform.Log)
            return;
        foreach (ref double z in predictions)
            z = Math.Min(Math.Exp(z), double.MaxValue);
    }

    /// <summary>Whether every target value is positive, so that the log is defined.</summary>
    public static bool AllPositive(ReadOnlySpan<double> targets)
    {
        foreach (double y in targets)
        {
            if (!(y > 0))
                return false;
        }
        return true;
    }

    /// <summary>Whether the log is worth offering: every value positive and every target skewed to the right by more than <see cref="SkewForLog"/>.</summary>
    public static bool PositiveAndSkewed(ReadOnlySpan<double> targets, int outputs)
    {
        if (!AllPositive(targets))
            return false;
        int rows = targets.Length / outputs;
        for (int k = 0; k < outputs; k++)
        {
            double mean = 0;
            for (int i = 0; i < rows; i++)
                mean += targets[i * outputs + k];
            mean /= rows;
            double m2 = 0, m3 = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = targets[i * outputs + k] - mean;
                m2 += d * d;
                m3 += d * d * d;
            }
            m2 /= rows;
            m3 /= rows;
            if (!(m2 > 0) || m3 / Math.Pow(m2, 1.5) <= SkewForLog)
                return false;
        }
        return true;
    }
}
