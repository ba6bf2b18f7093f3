using System.Diagnostics;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Tables.Search;

/// <summary>One network of the search: a candidate trained on every fold but one, stopped early and scored on that one.</summary>
/// <param name="Model">The network, predicting in the candidate's transformed units.</param>
/// <param name="Result">How its training ended.</param>
/// <param name="HeldOutPredictions">Its predictions for the held-out rows, [rows, targets] in the targets' units.</param>
/// <param name="Seconds">How long it took.</param>
internal sealed record FoldFit(MlpRegressor Model, TrainingResult Result, double[] HeldOutPredictions, double Seconds)
{
    /// <summary>Seeds differ by fold so that the members of an ensemble start apart as well as see different rows.</summary>
    private const ulong FoldSeedStep = 0x9E37_79B9_7F4A_7C15UL;

    /// <param name="transformed">The encoded training rows with the candidate's transform applied to the targets.</param>
    /// <param name="plan">The folds.</param>
    /// <param name="fold">The fold to hold out.</param>
    /// <param name="options">The candidate's options, for one thread; the seed is the run's and is varied per fold here.</param>
    /// <param name="transform">The candidate's transform, undone on the held-out predictions.</param>
    /// <param name="cancel">The run's cancellation.</param>
    public static FoldFit Run(DataSet transformed, FoldPlan plan, int fold, RegressorOptions options, TargetTransform transform, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var heldOut = transformed.Select(plan.HeldOut(fold));
        var model = new MlpRegressor(options with { Seed = options.Seed + (ulong)fold * FoldSeedStep });
        var result = model.Fit(transformed.Select(plan.Train(fold)), options.EarlyStopping ? heldOut : null, cancellationToken: cancel);
        var ensemble = new Ensemble([model], transform);
        var predictions = result.Reason == StopReason.Diverged
            ? Enumerable.Repeat(double.NaN, heldOut.Rows * heldOut.Outputs).ToArray()
            : ensemble.Predict(heldOut.Inputs, heldOut.Rows);
        return new FoldFit(model, result, predictions, clock.Elapsed.TotalSeconds);
    }
}
