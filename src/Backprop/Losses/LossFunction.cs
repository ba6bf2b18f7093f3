using Backprop.Kernels;

namespace Backprop.Losses;

/// <summary>
/// A loss over a batch: the per-value loss summed over a row's outputs, then averaged over rows
/// with optional sample weights, L = sum_i w_i sum_k l(y_hat_ik, y_ik) / sum_i w_i.
/// </summary>
/// <remarks>
/// With unit weights this is DESIGN.md's L = 1/(2B) sum (Y_hat - Y)^2, so the output error term of
/// one row is (y_hat - y) / B, the seed's (a2 - y) for B = 1.
/// </remarks>
public sealed record LossFunction
{
    /// <summary>Creates a loss; <paramref name="huberDelta"/> is used only by <see cref="LossKind.Huber"/>.</summary>
    public LossFunction(LossKind kind = LossKind.SquaredError, double huberDelta = 1.0)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss; allowed: squared, absolute, huber.");
        if (!(huberDelta > 0) || !double.IsFinite(huberDelta))
            throw new ArgumentOutOfRangeException(nameof(huberDelta), huberDelta, "Huber delta must be a positive finite number.");
        Kind = kind;
        HuberDelta = huberDelta;
    }

    /// <summary>The per-value loss.</summary>
    public LossKind Kind { get; }

    /// <summary>Where Huber switches from squared to absolute error, in the (scaled) target's units.</summary>
    public double HuberDelta { get; }

    /// <summary>The seed's loss, 1/2 (y - y_hat)^2.</summary>
    public static LossFunction SquaredError { get; } = new();

    /// <summary>l(r) for one residual r = y_hat - y.</summary>
    public double Value(double residual) => Kind switch
    {
        LossKind.SquaredError => Losses.SquaredError.Value(residual),
        LossKind.AbsoluteError => AbsoluteError.Value(residual),
        _ => Huber.Value(residual, HuberDelta),
    };

    /// <summary>dl/dy_hat for one residual r = y_hat - y.</summary>
    public double Derivative(double residual) => Kind switch
    {
        LossKind.SquaredError => Losses.SquaredError.Derivative(residual),
        LossKind.AbsoluteError => AbsoluteError.Derivative(residual),
        _ => Huber.Derivative(residual, HuberDelta),
    };

    /// <summary>
    /// Computes the batch loss and writes dL/dy_hat for every value into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="gradient">Output, <c>[rows, outputs]</c>: (w_i / sum w) dl/dy_hat_ik.</param>
    /// <param name="predictions">y_hat, <c>[rows, outputs]</c>.</param>
    /// <param name="targets">y, <c>[rows, outputs]</c>.</param>
    /// <param name="weights">Per-row weights, or empty for all ones.</param>
    /// <param name="rows">Rows in the batch.</param>
    /// <param name="outputs">Values per row.</param>
    /// <returns>The weighted mean loss L, accumulated in double.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate<T>(Span<T> gradient, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double totalWeight = weights.IsEmpty ? rows : VectorOps.Sum(weights[..rows]);
        if (!(totalWeight > 0))
            throw new ArgumentOutOfRangeException(nameof(weights), "Sample weights of a batch must add up to a positive number.");
        double loss = 0;
        double inverse = 1.0 / totalWeight;
        int count = rows * outputs;
        if (Kind == LossKind.SquaredError && weights.IsEmpty)
        {
            // The seed's case, kept free of per-value dispatch because it is the common one.
            T scale = T.CreateTruncating(inverse);
            for (int i = 0; i < count; i++)
            {
                T r = predictions[i] - targets[i];
                double rd = double.CreateTruncating(r);
                loss += rd * rd;
                gradient[i] = r * scale;
            }
            return 0.5 * loss * inverse;
        }
        for (int i = 0; i < rows; i++)
        {
            double w = weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[i]);
            double rowScale = w * inverse;
            for (int k = i * outputs; k < (i + 1) * outputs; k++)
            {
                double r = double.CreateTruncating(predictions[k]) - double.CreateTruncating(targets[k]);
                loss += w * Value(r);
                gradient[k] = T.CreateTruncating(rowScale * Derivative(r));
            }
        }
        return loss * inverse;
    }

    /// <summary>The batch loss without its gradient (validation, reporting).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double loss = 0, totalWeight = 0;
        for (int i = 0; i < rows; i++)
        {
            double w = weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[i]);
            totalWeight += w;
            double rowLoss = 0;
            for (int k = i * outputs; k < (i + 1) * outputs; k++)
                rowLoss += Value(double.CreateTruncating(predictions[k]) - double.CreateTruncating(targets[k]));
            loss += w * rowLoss;
        }
        return totalWeight > 0 ? loss / totalWeight : double.NaN;
    }

}
