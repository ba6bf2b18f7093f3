using Backprop.Preprocessing;

namespace Backprop.Tests.Engine;

// Standardization against means and population deviations worked out by hand.
public class StandardizerTests
{
    // Two columns: (1, 10), (2, 10), (3, 10), (6, 10). Column 0: mean 3, deviations -2, -1, 0, 3,
    // population variance 14 / 4. Column 1 is constant.
    private static readonly double[] Rows = [1, 10, 2, 10, 3, 10, 6, 10];

    [Fact]
    public void Fit_finds_each_columns_mean_and_population_deviation()
    {
        var s = Standardizer.Fit(Rows, 2);
        Assert.Equal(3, s.Mean[0], 15);
        Assert.Equal(Math.Sqrt(14 / 4.0), s.Scale[0], 15);
        Assert.Equal(10, s.Mean[1], 15);
        Assert.Equal(1, s.Scale[1]); // a constant column is centred, not divided by zero
    }

    [Fact]
    public void A_weight_counts_like_a_repeated_row()
    {
        var weighted = Standardizer.Fit(Rows, 2, [1, 0, 2, 1]);
        var repeated = Standardizer.Fit([1, 10, 3, 10, 3, 10, 6, 10], 2);
        Assert.Equal(repeated.Mean[0], weighted.Mean[0], 14);
        Assert.Equal(repeated.Scale[0], weighted.Scale[0], 14);
    }

    [Fact]
    public void Masked_columns_are_left_alone()
    {
        var s = Standardizer.Fit(Rows, 2, scaleColumn: [false, true]);
        Assert.Equal((0.0, 1.0), (s.Mean[0], s.Scale[0]));
        Assert.Equal(10, s.Mean[1], 15);
    }

    [Fact]
    public void Transform_and_its_inverse_map_rows_both_ways()
    {
        var s = Standardizer.Fit(Rows, 2);
        double[] row = [6, 12];
        s.Transform(row);
        Assert.Equal(3 / Math.Sqrt(3.5), row[0], 14);
        Assert.Equal(2, row[1], 14);
        s.InverseTransform(row);
        Assert.Equal(6, row[0], 13);
        Assert.Equal(12, row[1], 13);
    }

    [Fact]
    public void No_rows_or_no_weight_give_the_identity_and_no_columns_is_refused()
    {
        var empty = Standardizer.Fit([], 2);
        Assert.Equal([0.0, 0.0], empty.Mean);
        Assert.Equal([1.0, 1.0], empty.Scale);
        var weightless = Standardizer.Fit(Rows, 2, [0, 0, 0, 0]);
        Assert.Equal([0.0, 0.0], weightless.Mean);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit(Rows, 0)).ParamName);
    }
}
