namespace Backprop.Regression;

/// <summary>Regression metrics in the target's units, overall and per target.</summary>
/// <param name="R2">Coefficient of determination, 1 - SS_res / SS_tot, averaged over targets.</param>
/// <param name="Rmse">Root mean squared error over all values.</param>
/// <param name="Mae">Mean absolute error over all values.</param>
/// <param name="PerTarget">The same three numbers for each target.</param>
public sealed record RegressionScores(double R2, double Rmse, double Mae, IReadOnlyList<(double R2, double Rmse, double Mae)> PerTarget)
{
    /// <summary>Computes the metrics of <paramref name="predictions"/> against <paramref name="targets"/>, both [rows, outputs].</summary>
    /// <param name="predictions">[rows, outputs].</param>
    /// <param name="targets">[rows, outputs].</param>
    /// <param name="outputs">Values per row.</param>
    /// <param name="weights">Per-row weights, or null for equal ones.</param>
    public static RegressionScores Compute(ReadOnlySpan<double> predictions, ReadOnlySpan<double> targets, int outputs, ReadOnlySpan<double> weights = default)
    {
        if (predictions.Length != targets.Length || outputs < 1 || targets.Length % outputs != 0 || targets.Length == 0)
            throw new ArgumentException("predictions and targets must have the same, non-empty [rows, outputs] shape.");
        int rows = targets.Length / outputs;
        var per = new (double, double, double)[outputs];
        double sse = 0, sae = 0, totalWeight = 0, r2Sum = 0;
        for (int k = 0; k < outputs; k++)
        {
            double wsum = 0, mean = 0;
            for (int i = 0; i < rows; i++)
            {
                double w = weights.IsEmpty ? 1 : weights[i];
                wsum += w;
                mean += w * targets[i * outputs + k];
            }
            mean /= wsum;
            double ssRes = 0, ssTot = 0, abs = 0;
            for (int i = 0; i < rows; i++)
            {
                double w = weights.IsEmpty ? 1 : weights[i];
                double y = targets[i * outputs + k], r = predictions[i * outputs + k] - y;
                ssRes += w * r * r;
                ssTot += w * (y - mean) * (y - mean);
                abs += w * Math.Abs(r);
            }
            double r2 = ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0);
            per[k] = (r2, Math.Sqrt(ssRes / wsum), abs / wsum);
            sse += ssRes;
            sae += abs;
            totalWeight += wsum;
            r2Sum += r2;
        }
        return new RegressionScores(r2Sum / outputs, Math.Sqrt(sse / totalWeight), sae / totalWeight, per);
    }
}
