using Backprop.Numerics;
using Backprop.Regression;

namespace Backprop.Tests.Tables;

/// <summary>
/// K-fold cross-validation with tiny networks, as the default fit does it: fold k's model trains
/// on the other folds and stops early on its own held-out fold, which it never trains on.
/// </summary>
internal sealed class FoldModels
{
    private FoldModels(MlpRegressor[] models, int[][] heldOut, double[] outOfFold)
    {
        Models = models;
        HeldOut = heldOut;
        OutOfFold = outOfFold;
    }

    public MlpRegressor[] Models { get; }

    /// <summary>Per fold, the training rows it held out, ascending.</summary>
    public int[][] HeldOut { get; }

    /// <summary>Each row's prediction by the model that did not see it, [rows, outputs].</summary>
    public double[] OutOfFold { get; }

    public static FoldModels Fit(DataSet train, int folds, ulong seed, int hidden = 16)
    {
        var order = Enumerable.Range(0, train.Rows).ToArray();
        new Rng(seed).Shuffle(order);
        var foldOfRow = new int[train.Rows];
        for (int i = 0; i < order.Length; i++)
            foldOfRow[order[i]] = i % folds;
        var models = new MlpRegressor[folds];
        var heldOut = new int[folds][];
        var outOfFold = new double[train.Targets.Length];
        for (int k = 0; k < folds; k++)
        {
            var held = heldOut[k] = [.. Enumerable.Range(0, train.Rows).Where(i => foldOfRow[i] == k)];
            var rest = Enumerable.Range(0, train.Rows).Where(i => foldOfRow[i] != k).ToArray();
            var validation = train.Select(held);
            models[k] = new MlpRegressor(new RegressorOptions { HiddenLayers = [hidden], Epochs = 150, Patience = 10, Seed = seed + (ulong)k, Threads = 1 });
            models[k].Fit(train.Select(rest), validation);
            var predicted = models[k].Predict(validation.Inputs, held.Length);
            for (int i = 0; i < held.Length; i++)
                predicted.AsSpan(i * train.Outputs, train.Outputs).CopyTo(outOfFold.AsSpan(held[i] * train.Outputs));
        }
        return new FoldModels(models, heldOut, outOfFold);
    }

    /// <summary>Every member's predictions of the rows, [rows, outputs] each.</summary>
    public double[][] MemberPredictions(DataSet rows) => [.. Models.Select(m => m.Predict(rows.Inputs, rows.Rows))];
}
