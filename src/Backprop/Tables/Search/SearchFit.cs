using System.Globalization;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Importance;
using Backprop.Tables.Intervals;

namespace Backprop.Tables.Search;

/// <summary>
/// The default fit of a loaded file: the training rows in K folds, the search over the space, and
/// the chosen candidate's fold networks as the model, scored out of fold (and on any test rows).
/// </summary>
internal static class SearchFit
{
    /// <summary>The name of the part every training row is scored in by the fold network that did not train on it.</summary>
    public const string OutOfFoldPart = "out-of-fold";

    public static TableModel Run(FitRun run, PreparedData data, TableOptions options, int folds, IProgress<TableProgress>? progress, CancellationToken cancel)
    {
        var (_, encoder, all, test, summary, trainedOn) = data;
        var budget = options.TimeBudget ?? TableOptions.DefaultSearchBudget(all.Rows);
        var plan = new FoldPlan(all.Rows, folds, options.Seed);
        bool logOffered = TargetTransforms.PositiveAndSkewed(all.Targets, all.Outputs);
        var candidates = options.Space.CandidatesFor(options.TargetTransform, logOffered);
        run.Report(new TableProgress.DataRead(summary with { TrainRows = all.Rows, Folds = folds }));
        if (summary.UnseenTestCategories.Count > 0)
            run.Warn(TableWarnings.Unseen(summary.UnseenTestCategories, "test"));

        int threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        var outcome = new SuccessiveHalving(all, plan, candidates, options.Space, options.ToRegressorOptions(), budget, threads, progress, cancel).Run();
        if (outcome.Report.BudgetCut)
            run.Warn($"the time budget ({budget.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s) cut the search short: {outcome.Report.BudgetCuts}. Give it more time (--time-budget, TableOptions.TimeBudget) for the full search; until then the result depends on the machine's speed, not on the seed alone.");

        if (outcome.CrossValidation is not { } cv)
            return run.Finish(outcome.Ensemble, encoder, trainedOn, outcome.Result, [], outcome.Report, crossValidation: null);
        var outOfFold = new ScoredRows(OutOfFoldPart, all, RegressionScores.Compute(cv.OutOfFold, all.Targets, all.Outputs)) { Predictions = cv.OutOfFold };
        var parts = test is null ? [] : new[] { ("test", test) };
        var model = run.Finish(outcome.Ensemble, encoder, trainedOn, outcome.Result, parts, outcome.Report, cv, scored: [outOfFold]);
        model.KeepOutOfFoldAnalysis(
            PredictionIntervals.FromOutOfFold(all.Targets, cv.OutOfFold, all.Outputs, cv.HeldOut),
            Importance(cv, encoder, options.Seed, threads));
        return model;
    }

    // Permutation importance on the held-out rows of each fold, with that fold's network.
    private static ImportanceDocument Importance(CrossValidation cv, Data.Columns.TableEncoder encoder, ulong seed, int threads)
    {
        var predictors = Enumerable.Range(0, cv.HeldOut.Count)
            .Select(k => (RowsPredictor)((inputs, rows) => cv.PredictFold(k, inputs, rows)))
            .ToArray();
        var folds = HeldOutFold.Split(cv.Rows, cv.HeldOut, predictors);
        return PermutationImportance.Compute(folds, ColumnInputs.Of(encoder), PermutationImportance.DefaultRepeats, seed, threads);
    }
}
