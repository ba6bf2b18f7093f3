using System.Globalization;
using System.Text;
using Backprop.Data.Columns;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Importance;
using Backprop.Tests.Data;

namespace Backprop.Tests.Tables.Importance;

/// <summary>Permutation importance per original column, on out-of-fold rows.</summary>
public sealed class PermutationImportanceTests
{
    // y = 3 x1 + 0.4 [x2 = b] - 0.4 [x2 = c] + noise; x3 is noise with gaps (so it gains a
    // was-missing input), and x2 is text (three one-hot inputs).
    private static readonly Lazy<(TableEncoder Encoder, DataSet Rows)> Synthetic = new(() =>
    {
        var rng = new Rng(21);
        var text = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < 600; i++)
        {
            double x1 = rng.NextDouble(-1, 1), x3 = rng.NextDouble(-1, 1);
            string x2 = "abc"[rng.NextInt(3)].ToString();
            double y = 3 * x1 + (x2 == "b" ? 0.4 : x2 == "c" ? -0.4 : 0) + 0.2 * (rng.NextDouble() - 0.5);
            text.Append(CultureInfo.InvariantCulture, $"{x1},{x2},{(i % 10 == 0 ? "" : x3.ToString(CultureInfo.InvariantCulture))},{y}\n");
        }
        var table = CsvText.Load(text.ToString());
        var encoder = TableEncoder.Fit(table, new EncoderOptions { Targets = ["y"] });
        return (encoder, encoder.Encode(table, requireTargets: true));
    });

    [Fact]
    public void A_column_is_all_its_inputs_one_hot_levels_and_missing_indicator_included()
    {
        var columns = ColumnInputs.Of(Synthetic.Value.Encoder);
        Assert.Equal([new("x1", 0, 1), new("x2", 1, 3), new("x3", 4, 2)], columns);
        Assert.Equal(["x1", "x2=a", "x2=b", "x2=c", "x3", "x3_missing"], Synthetic.Value.Encoder.FeatureNames);
    }

    [Fact]
    public void The_strong_column_ranks_first_and_the_noise_column_last()
    {
        var result = Measure(maxThreads: -1);
        Assert.Equal(["x1", "x2", "x3"], result.Columns.Select(c => c.Column));
        Assert.True(result.Columns[0].MseRise > 10 * result.Columns[1].MseRise);
        Assert.True(result.Columns[1].MseRise > result.Columns[2].MseRise + 2 * result.Columns[2].MseRiseSd);
        Assert.InRange(result.Columns[0].R2Drop, 1.0, 3.0); // shuffling x1 costs more than all of R^2
        Assert.All(result.Columns, c => Assert.True(c.MseRiseSd > 0));
        Assert.Equal((5, PermutationImportance.DefaultRepeats, 7UL), (result.Folds, result.Repeats, result.Seed));
    }

    [Fact]
    public void The_result_is_the_same_for_a_seed_whatever_the_threads_and_changes_with_the_seed()
    {
        var one = Measure(maxThreads: 1);
        var many = Measure(maxThreads: -1);
        Assert.Equal(one.Columns, many.Columns);
        Assert.NotEqual(one.Columns, Measure(maxThreads: -1, seed: 8).Columns);
    }

    [Fact]
    public void A_column_the_model_ignores_costs_nothing_and_the_R2_drop_is_the_MSE_rise_over_the_variance()
    {
        // A "model" that reads only input 0, on rows whose target is input 0 plus a constant.
        double[] inputs = [1, 5, 2, 6, 3, 7, 4, 8];
        double[] targets = [1.5, 2.5, 3.5, 4.5];
        var fold = new HeldOutFold(FirstInputPlusHalf, new DataSet(inputs, 2, targets, 1));
        var result = PermutationImportance.Compute([fold], [new("used", 0, 1), new("ignored", 1, 1)], repeats: 4, seed: 3);
        var used = result.Columns.Single(c => c.Column == "used");
        var ignored = result.Columns.Single(c => c.Column == "ignored");
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (ignored.MseRise, ignored.MseRiseSd, ignored.R2Drop, ignored.R2DropSd));
        Assert.True(used.MseRise > 0);
        double variance = targets.Select(y => (y - 3.0) * (y - 3.0)).Average(); // 1.25
        Assert.Equal(used.MseRise / variance, used.R2Drop, 12);
        Assert.Equal("used", result.Columns[0].Column);
    }

    [Fact]
    public void Columns_outside_the_inputs_and_folds_of_different_shapes_are_refused()
    {
        var rows = new DataSet([1, 2], 2, [1], 1);
        var fold = new HeldOutFold((x, n) => new double[n], rows);
        Assert.Throws<ArgumentException>(() => PermutationImportance.Compute([fold], [new("a", 1, 2)], 1, 0));
        Assert.Throws<ArgumentException>(() => PermutationImportance.Compute([fold, fold with { Rows = new DataSet([1], 1, [1], 1) }], [new("a", 0, 1)], 1, 0));
        Assert.Throws<ArgumentException>(() => PermutationImportance.Compute([], [new("a", 0, 1)], 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PermutationImportance.Compute([fold], [new("a", 0, 1)], 0, 0));
        Assert.Throws<ArgumentException>(() => HeldOutFold.Split(rows, [[1]], [fold.Predict]));
        Assert.Throws<ArgumentException>(() => HeldOutFold.Split(rows, [[0]], [fold.Predict, fold.Predict]));
        Assert.Throws<ArgumentException>(() => HeldOutFold.Split(rows, [[0], []], [fold.Predict, fold.Predict]));
    }

    private static double[] FirstInputPlusHalf(ReadOnlySpan<double> inputs, int rows)
    {
        var predicted = new double[rows];
        for (int i = 0; i < rows; i++)
            predicted[i] = inputs[i * 2] + 0.5;
        return predicted;
    }

    private static ImportanceDocument Measure(int maxThreads, ulong seed = 7)
    {
        var (encoder, rows) = Synthetic.Value;
        var models = FoldModels.Fit(rows, 5, seed: 1, hidden: 8);
        var folds = HeldOutFold.Split(rows, models.HeldOut, [.. models.Models.Select(m => (RowsPredictor)m.Predict)]);
        return PermutationImportance.Compute(folds, ColumnInputs.Of(encoder), PermutationImportance.DefaultRepeats, seed, maxThreads);
    }
}
