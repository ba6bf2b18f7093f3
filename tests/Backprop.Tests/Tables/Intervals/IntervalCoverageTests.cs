using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Regression;
using Backprop.Tables.Intervals;
using Backprop.Tests.Engine;

namespace Backprop.Tests.Tables.Intervals;

/// <summary>
/// CV+ intervals from 5 fold models of tiny networks cover about 90% of rows no model saw, on
/// real and synthetic data: between 0.85 and 0.95 at 0.9 on each set.
/// </summary>
public sealed class IntervalCoverageTests
{
    private const double Coverage = 0.9;

    [Fact]
    public void Diabetes_rows_are_covered_about_ninety_percent_of_the_time()
    {
        // 442 rows: each fifth is the test part once, so every row is a test row once (442 checks).
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(Path.Combine(AppContext.BaseDirectory, "samples", "diabetes.csv"), ["target"]);
        var all = new DataSet(x, x.Length / rows, y, 1);
        int covered = 0;
        for (int part = 0; part < 5; part++)
        {
            var test = Enumerable.Range(0, rows).Where(i => i % 5 == part).ToArray();
            var train = Enumerable.Range(0, rows).Where(i => i % 5 != part).ToArray();
            covered += Covered(all.Select(train), all.Select(test), seed: (ulong)part + 1).Covered;
        }
        Assert.InRange(covered / (double)rows, 0.85, 0.95);
    }

    [Fact]
    public void Seed_curve_rows_are_covered_about_ninety_percent_of_the_time()
    {
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(Path.Combine(AppContext.BaseDirectory, "samples", "seed_curve.csv"), ["y"]);
        var all = new DataSet(x, 1, y, 1);
        var (train, test) = Halves(all);
        AssertCoverage(train, test, seed: 2);
    }

    [Fact]
    public void Friedman_rows_with_noise_are_covered_about_ninety_percent_of_the_time()
    {
        var (train, test) = Halves(Datasets.Friedman1(2000, seed: 3, noise: 1.0));
        AssertCoverage(train, test, seed: 3);
    }

    [Fact]
    public void Rows_with_noise_that_grows_with_an_input_are_covered_about_ninety_percent_of_the_time()
    {
        // Heteroscedastic: the interval has one width, so it over-covers quiet rows and under-covers
        // loud ones, but the marginal guarantee still holds.
        var rng = new Rng(4);
        int n = 2000;
        var inputs = new double[n * 3];
        var targets = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++)
                inputs[i * 3 + j] = rng.NextDouble(-1, 1);
            double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            targets[i] = 2 * inputs[i * 3] - inputs[i * 3 + 1] * inputs[i * 3 + 2] + (0.2 + Math.Abs(inputs[i * 3 + 1])) * gauss;
        }
        var (train, test) = Halves(new DataSet(inputs, 3, targets, 1));
        AssertCoverage(train, test, seed: 4);
    }

    private static void AssertCoverage(DataSet train, DataSet test, ulong seed)
    {
        var (covered, width) = Covered(train, test, seed);
        Assert.InRange(covered / (double)test.Rows, 0.85, 0.95);
        Assert.True(double.IsFinite(width) && width > 0);
    }

    // Rows covered by the 90% interval of models fitted on train, and the mean width.
    private static (int Covered, double MeanWidth) Covered(DataSet train, DataSet test, ulong seed)
    {
        var folds = FoldModels.Fit(train, 5, seed);
        var intervals = PredictionIntervals.FromOutOfFold(train.Targets, folds.OutOfFold, 1, folds.HeldOut);
        var (lower, upper) = intervals.Bounds(folds.MemberPredictions(test), Coverage);
        int covered = Enumerable.Range(0, test.Rows).Count(i => lower[i] <= test.Targets[i] && test.Targets[i] <= upper[i]);
        return (covered, Enumerable.Range(0, test.Rows).Average(i => upper[i] - lower[i]));
    }

    private static (DataSet Train, DataSet Test) Halves(DataSet all) =>
        (all.Select([.. Enumerable.Range(0, all.Rows).Where(i => i % 2 == 1)]), all.Select([.. Enumerable.Range(0, all.Rows).Where(i => i % 2 == 0)]));
}
