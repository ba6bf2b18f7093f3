using Backprop.Numerics;
using Backprop.Serialization;
using Backprop.Tables.Intervals;

namespace Backprop.Tests.Tables.Intervals;

/// <summary>CV+ bounds against the formula, worked by hand and by brute force, and the bounded calibration.</summary>
public sealed class CvPlusIntervalTests
{
    // Fold 0 held out two rows with residuals 1 and 3, fold 1 one row with residual 2: n = 3.
    // Members predict 10 and 20, so mu - R is {9, 7, 18} and mu + R is {11, 13, 22}.
    private static readonly CvPlusInterval Small = CvPlusInterval.FromResiduals([[3, 1], [2]]);

    [Theory]
    // alpha = 0.5: floor(0.5 x 4) = 2nd smallest of {7, 9, 18} is 9; ceil(0.5 x 4) = 2nd smallest of {11, 13, 22} is 13.
    [InlineData(0.5, 9, 13)]
    // alpha = 0.3: floor(1.2) = 1st smallest, 7; ceil(2.8) = 3rd smallest, 22.
    [InlineData(0.7, 7, 22)]
    public void Small_case_worked_by_hand(double coverage, double lower, double upper)
    {
        Assert.Equal(3, Small.Rows);
        Assert.Equal((lower, upper), Small.Bounds([10, 20], coverage));
    }

    [Fact]
    public void Too_few_rows_for_the_coverage_give_an_infinite_interval()
    {
        // alpha = 0.2: floor(0.2 x 4) = 0, so no residual is large enough to bound.
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), Small.Bounds([10, 20], 0.8));
    }

    [Fact]
    public void Nineteen_rows_at_ninety_percent_take_the_second_largest_residual()
    {
        // (1 - 0.9) x 20 is 1.9999999999999996 in binary; the rank is 2, not 1.
        var calibration = CvPlusInterval.FromResiduals([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19]]);
        Assert.Equal((-18.0, 18.0), calibration.Bounds([0, 0], 0.9));
    }

    [Fact]
    public void Bounds_equal_the_formula_on_random_folds_and_never_cross()
    {
        var rng = new Rng(11);
        foreach (double coverage in new[] { 0.5, 0.8, 0.9, 0.95 })
        {
            for (int trial = 0; trial < 40; trial++)
            {
                int folds = 2 + rng.NextInt(5);
                var residuals = Enumerable.Range(0, folds).Select(_ => Enumerable.Range(0, 1 + rng.NextInt(40)).Select(_ => Math.Round(rng.NextDouble(0, 10), 1)).ToArray()).ToArray();
                var mu = Enumerable.Range(0, folds).Select(_ => Math.Round(rng.NextDouble(-5, 5), 1)).ToArray();
                var (lower, upper) = CvPlusInterval.FromResiduals(residuals).Bounds(mu, coverage);
                var (expectedLower, expectedUpper) = Formula(residuals, mu, coverage);
                Assert.Equal(expectedLower, lower);
                Assert.Equal(expectedUpper, upper);
                Assert.True(lower <= upper);
            }
        }
    }

    [Fact]
    public void A_large_fold_is_kept_as_a_thousand_quantiles_and_its_bounds_are_slightly_wide_never_narrow()
    {
        var rng = new Rng(5);
        var residuals = new[] { 2500, 3700 }.Select(n => Enumerable.Range(0, n).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray()).ToArray();
        var calibration = CvPlusInterval.FromResiduals(residuals);
        var document = calibration.ToDocument("y");
        Assert.All(document.Folds, f => Assert.Equal(IntervalsDocument.MaxPointsPerFold, f.Residuals.Length));
        Assert.Equal([2500, 3700], document.Folds.Select(f => f.Rows));
        Assert.Equal(6200, calibration.Rows);
        foreach (double coverage in new[] { 0.5, 0.9, 0.99 })
        {
            double[] mu = [1.0, 1.5];
            var (lower, upper) = calibration.Bounds(mu, coverage);
            var (exactLower, exactUpper) = Formula(residuals, mu, coverage);
            Assert.InRange(upper, exactUpper, exactUpper + 0.02 * (exactUpper - mu[1]));
            Assert.InRange(lower, exactLower - 0.02 * (mu[1] - exactLower), exactLower);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.49)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_coverage_outside_a_half_to_one_is_refused_with_the_option_named(double coverage)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Small.Bounds([10, 20], coverage));
        Assert.Equal("coverage", e.ParamName);
        Assert.Contains("coverage must be a coverage from 0.5 up to but not including 1", e.Message, StringComparison.Ordinal);
        var cli = Assert.Throws<ArgumentOutOfRangeException>(() => IntervalCoverage.Check(coverage, "--interval"));
        Assert.StartsWith("--interval must be", cli.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_calibrations_and_predictions_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CvPlusInterval.FromResiduals([[1, 2]]));
        Assert.Throws<ArgumentException>(() => CvPlusInterval.FromResiduals([[1, 2], []]));
        Assert.Contains("residual 2 is -1", Assert.Throws<ArgumentException>(() => CvPlusInterval.FromResiduals([[1, 2], [1, -1]])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CvPlusInterval.FromResiduals([[1, double.NaN], [1]]));
        Assert.Contains("one prediction per fold model (2); got 3", Assert.Throws<ArgumentException>(() => Small.Bounds([1, 2, 3], 0.5)).Message, StringComparison.Ordinal);
    }

    // Straight from the definition: every mu_k(i) -/+ R_i listed and sorted, ranks in exact decimal arithmetic.
    private static (double Lower, double Upper) Formula(double[][] residuals, double[] mu, double coverage)
    {
        var down = new List<double>();
        var up = new List<double>();
        for (int k = 0; k < residuals.Length; k++)
        {
            foreach (double r in residuals[k])
            {
                down.Add(mu[k] - r);
                up.Add(mu[k] + r);
            }
        }
        down.Sort();
        up.Sort();
        int n = up.Count;
        decimal alpha = 1 - (decimal)coverage;
        int lowRank = (int)decimal.Floor(alpha * (n + 1));
        int highRank = (int)decimal.Ceiling((1 - alpha) * (n + 1));
        return (lowRank < 1 ? double.NegativeInfinity : down[lowRank - 1], highRank > n ? double.PositiveInfinity : up[highRank - 1]);
    }
}
