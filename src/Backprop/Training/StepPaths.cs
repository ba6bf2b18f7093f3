using Backprop.Activations;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>Chooses the <see cref="StepPath"/> an epoch's steps take.</summary>
internal static class StepPaths
{
    /// <summary>
    /// The most specialised path that computes the reference path's bits for this training and that
    /// <see cref="TrainingOptions.FastPaths"/> allows.
    /// </summary>
    /// <remarks>
    /// The rule, most specialised first:
    /// <list type="number">
    /// <item><see cref="StepPath.Seed"/>: everything <see cref="StepPath.Fused"/> needs, on the seed's
    /// 1-1-1 network, whose four parameters fit in registers.</item>
    /// <item><see cref="StepPath.Fused"/>: batch size 1; plain gradient descent (momentum 0: the
    /// optimizer's update needs no state, so it can be applied as soon as a derivative is known, see
    /// <c>GradientDescent.PlainUpdate</c>); squared error (its dL/dy_hat is the residual); no sample
    /// weights (a weighted loss is computed in double, by the general formula); no L2 and no
    /// clipping (each needs the whole gradient, or the weights, before any update); every layer at most <see cref="OnlineDescent{T}.MaxWidth"/>
    /// inputs and units wide, where one scalar loop beats the one-row path's unrolled chains and
    /// vector kernels; activations whose slope comes from their output (identity, sigmoid, tanh,
    /// relu: the loop keeps no z, and their scalar forms inline without costing it registers).</item>
    /// <item><see cref="StepPath.OneRow"/>: batch size 1, any network, loss, optimizer and options
    /// (sample weights, L2 and clipping are applied after the row's gradient as in the reference).</item>
    /// <item><see cref="StepPath.Batched"/>: everything else, and every configuration when the fast
    /// paths are off; L-BFGS (no step optimizer) always.</item>
    /// </list>
    /// Each fast path is tested bit-identical to <see cref="StepPath.Batched"/> (weights and losses
    /// after several epochs) over every activation and several shapes it accepts, in float and double.
    /// </remarks>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">The step optimizer, or null for L-BFGS.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="data">The rows the epoch steps through.</param>
    /// <param name="batch">Rows per step.</param>
    public static StepPath Select<T>(Network<T> network, IOptimizer<T>? optimizer, TrainingOptions options, TrainingData<T> data, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (optimizer is null || batch != 1)
            return StepPath.Batched;
        var allowed = options.FastPaths;
        if (Fusable(network, optimizer, options, data))
        {
            if (allowed.HasFlag(FastPaths.Seed) && IsSeed(network))
                return StepPath.Seed;
            if (allowed.HasFlag(FastPaths.Fused))
                return StepPath.Fused;
        }
        return allowed.HasFlag(FastPaths.OneRow) ? StepPath.OneRow : StepPath.Batched;
    }

    private static bool Fusable<T>(Network<T> network, IOptimizer<T> optimizer, TrainingOptions options, TrainingData<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        optimizer is GradientDescent<T> { Momentum: 0 }
        && options.LossFunction.Kind == LossKind.SquaredError
        && data.Weights is null && options.L2 == 0 && options.ClipNorm is null
        && network.Layers.All(layer => layer.Inputs <= OnlineDescent<T>.MaxWidth && layer.Units <= OnlineDescent<T>.MaxWidth
            && !layer.Activation.SlopeNeedsZ());

    private static bool IsSeed<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Layers is [{ Inputs: 1, Units: 1 }, { Inputs: 1, Units: 1 }];
}
