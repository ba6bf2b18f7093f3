using Backprop.Regression;

namespace Backprop.Tests.Engine;

// R^2, RMSE and MAE against numbers worked out by hand and against other statements of the same
// definitions (a weight as a repeated row, R^2 as 1 - MSE / variance), so that swapping one metric
// for another or dropping a weight cannot pass.
public class MetricFormulaTests
{
    [Fact]
    public void Scores_match_a_case_worked_by_hand()
    {
        // Residuals 0.5, 0, -1, 1: SS_res = 2.25; the targets' mean is 2.5, SS_tot = 5.
        var scores = RegressionScores.Compute([1.5, 2, 2, 5], [1, 2, 3, 4], 1);
        Assert.Equal(1 - 2.25 / 5, scores.R2, 15);
        Assert.Equal(Math.Sqrt(2.25 / 4), scores.Rmse, 15);
        Assert.Equal(2.5 / 4, scores.Mae, 15);
        Assert.Equal((scores.R2, scores.Rmse, scores.Mae), Assert.Single(scores.PerTarget));
    }

    [Fact]
    public void Scores_match_their_definitions_on_random_data()
    {
        var random = new Random(5);
        double[] y = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 40 - 10).ToArray();
        double[] p = y.Select(v => v + random.NextDouble() * 6 - 2).ToArray();
        var residuals = p.Zip(y, (a, b) => a - b).ToArray();
        double mse = residuals.Average(r => r * r);
        double variance = y.Average(v => (v - y.Average()) * (v - y.Average()));

        var scores = RegressionScores.Compute(p, y, 1);
        Assert.Equal(1 - mse / variance, scores.R2, 12);
        Assert.Equal(Math.Sqrt(mse), scores.Rmse, 12);
        Assert.Equal(residuals.Average(Math.Abs), scores.Mae, 12);
        Assert.True(scores.Rmse > scores.Mae, "RMSE is above MAE whenever the residuals differ in size");
    }

    [Fact]
    public void Predicting_the_mean_scores_zero_and_a_perfect_fit_one()
    {
        double[] y = [3, 7, 8, 2];
        var mean = RegressionScores.Compute(Enumerable.Repeat(5.0, 4).ToArray(), y, 1);
        Assert.Equal(0, mean.R2, 15);
        Assert.Equal(Math.Sqrt((4 + 4 + 9 + 9) / 4.0), mean.Rmse, 15);
        Assert.Equal(2.5, mean.Mae, 15);
        var perfect = RegressionScores.Compute(y, y, 1);
        Assert.Equal((1.0, 0.0, 0.0), (perfect.R2, perfect.Rmse, perfect.Mae));
    }

    [Fact]
    public void A_constant_target_scores_one_when_met_and_zero_otherwise()
    {
        Assert.Equal(1, RegressionScores.Compute([4, 4, 4], [4, 4, 4], 1).R2);
        Assert.Equal(0, RegressionScores.Compute([4, 5, 4], [4, 4, 4], 1).R2);
    }

    [Fact]
    public void A_weight_counts_like_a_repeated_row()
    {
        double[] y = [1, 2, 3, 4, 10], p = [1.5, 1, 3.5, 2, 9];
        double[] weights = [1, 3, 2, 0, 1];
        var weighted = RegressionScores.Compute(p, y, 1, weights);
        var rows = Enumerable.Range(0, y.Length).SelectMany(i => Enumerable.Repeat(i, (int)weights[i])).ToArray();
        var repeated = RegressionScores.Compute(rows.Select(i => p[i]).ToArray(), rows.Select(i => y[i]).ToArray(), 1);
        Assert.Equal(repeated.R2, weighted.R2, 12);
        Assert.Equal(repeated.Rmse, weighted.Rmse, 12);
        Assert.Equal(repeated.Mae, weighted.Mae, 12);
    }

    [Fact]
    public void Several_targets_pool_the_errors_and_average_the_r2()
    {
        // Rows (y1, y2): the second target is ten times the scale of the first.
        double[] y = [1, 10, 2, 30, 3, 20, 4, 40];
        double[] p = [1.5, 12, 2, 26, 2, 20, 5, 44];
        var first = RegressionScores.Compute([1.5, 2, 2, 5], [1, 2, 3, 4], 1);
        var second = RegressionScores.Compute([12, 26, 20, 44], [10, 30, 20, 40], 1);
        var both = RegressionScores.Compute(p, y, 2);

        Assert.Equal([(first.R2, first.Rmse, first.Mae), (second.R2, second.Rmse, second.Mae)], both.PerTarget);
        Assert.Equal((first.R2 + second.R2) / 2, both.R2, 15);
        // RMSE and MAE over all eight values, not the mean of the per-target figures.
        double[] residuals = [0.5, 2, 0, -4, -1, 0, 1, 4];
        Assert.Equal(Math.Sqrt(residuals.Sum(r => r * r) / 8), both.Rmse, 15);
        Assert.Equal(residuals.Sum(Math.Abs) / 8, both.Mae, 15);
    }

    [Fact]
    public void A_fitted_model_scores_its_own_predictions()
    {
        var data = Datasets.Friedman1(200, seed: 3);
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [8], Epochs = 5, Seed = 2 });
        model.Fit(data);
        var predictions = model.Predict(data.Inputs, data.Rows);
        var expected = RegressionScores.Compute(predictions, data.Targets, 1);
        var scores = model.Score(data);
        Assert.Equal((expected.R2, expected.Rmse, expected.Mae), (scores.R2, scores.Rmse, scores.Mae));
        Assert.True(scores.Rmse > 0);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RegressionScores.Compute([1, 2], [1, 2, 3], 1));
        Assert.Throws<ArgumentException>(() => RegressionScores.Compute([1, 2, 3], [1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => RegressionScores.Compute([], [], 1));
        Assert.Throws<ArgumentException>(() => RegressionScores.Compute([1], [1], 0));
    }
}
