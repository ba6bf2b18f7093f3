namespace Backprop.Optimizers;

/// <summary>
/// An optimizer whose update of each parameter reads only that parameter's gradient and state, so
/// that a step can update disjoint ranges of the flat buffer independently (on two threads), with
/// the same bits as one pass.
/// </summary>
internal interface IRangeOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Counts the step and fixes its coefficients; then every range is updated once.</summary>
    void BeginStep(double learningRate);

    /// <summary>Updates parameters[start, start + length) from the gradients there.</summary>
    void UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int length);
}
