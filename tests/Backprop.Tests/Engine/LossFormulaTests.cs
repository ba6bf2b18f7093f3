using Backprop.Losses;

namespace Backprop.Tests.Engine;

// Each loss and its batch form against values worked out by hand: the gradient checks prove the
// derivatives match the values, these prove the values are the documented ones.
public class LossFormulaTests
{
    [Theory]
    [InlineData(LossKind.SquaredError, 3.0, 4.5, 3.0)]     // 1/2 r^2, r
    [InlineData(LossKind.SquaredError, -0.5, 0.125, -0.5)]
    [InlineData(LossKind.AbsoluteError, -2.0, 2.0, -1.0)]  // |r|, sign r
    [InlineData(LossKind.AbsoluteError, 0.25, 0.25, 1.0)]
    [InlineData(LossKind.Huber, 0.5, 0.125, 0.5)]          // inside delta = 1: 1/2 r^2, r
    [InlineData(LossKind.Huber, -3.0, 2.5, -1.0)]          // outside: delta (|r| - delta/2), delta sign r
    [InlineData(LossKind.Huber, 1.0, 0.5, 1.0)]            // the joint
    public void Each_loss_has_its_documented_value_and_slope(LossKind kind, double residual, double value, double slope)
    {
        var loss = new LossFunction(kind);
        Assert.Equal(value, loss.Value(residual), 15);
        Assert.Equal(slope, loss.Derivative(residual), 15);
    }

    [Fact]
    public void Huber_switches_at_its_delta()
    {
        var loss = new LossFunction(LossKind.Huber, huberDelta: 2.0);
        Assert.Equal(0.5 * 1.5 * 1.5, loss.Value(1.5), 15);
        Assert.Equal(2.0 * (5.0 - 1.0), loss.Value(-5.0), 15);
        Assert.Equal(1.5, loss.Derivative(1.5), 15);
        Assert.Equal(-2.0, loss.Derivative(-5.0), 15);
    }

    // Rows (y_hat1, y_hat2) against (y1, y2): residuals (1, -2), (0.5, 0), (-1, 3).
    private static readonly double[] Predictions = [2, 0, 1.5, 4, 0, 5];
    private static readonly double[] Targets = [1, 2, 1, 4, 1, 2];
    private static readonly double[] Residuals = [1, -2, 0.5, 0, -1, 3];

    [Theory]
    [InlineData(LossKind.SquaredError)]
    [InlineData(LossKind.AbsoluteError)]
    [InlineData(LossKind.Huber)]
    public void A_batch_sums_over_outputs_and_averages_over_rows(LossKind kind)
    {
        var loss = new LossFunction(kind);
        var gradient = new double[6];
        double value = loss.Evaluate<double>(gradient, Predictions, Targets, default, 3, 2);
        double expected = Residuals.Sum(loss.Value) / 3;
        Assert.Equal(expected, value, 14);
        Assert.Equal(expected, loss.Evaluate<double>(Predictions, Targets, default, 3, 2), 14);
        for (int i = 0; i < 6; i++)
            Assert.Equal(loss.Derivative(Residuals[i]) / 3, gradient[i], 14);
    }

    [Theory]
    [InlineData(LossKind.SquaredError)]
    [InlineData(LossKind.AbsoluteError)]
    [InlineData(LossKind.Huber)]
    public void A_weight_scales_its_rows_share(LossKind kind)
    {
        var loss = new LossFunction(kind);
        double[] weights = [2, 0, 1];
        var gradient = new double[6];
        double value = loss.Evaluate<double>(gradient, Predictions, Targets, weights, 3, 2);
        double row0 = loss.Value(1) + loss.Value(-2), row2 = loss.Value(-1) + loss.Value(3);
        Assert.Equal((2 * row0 + row2) / 3, value, 14);
        Assert.Equal(value, loss.Evaluate<double>(Predictions, Targets, weights, 3, 2), 14);
        Assert.Equal(2 * loss.Derivative(-2) / 3, gradient[1], 14);
        Assert.Equal(0, gradient[2]);
        Assert.Equal(loss.Derivative(3) / 3, gradient[5], 14);
    }

    [Fact]
    public void Single_precision_batches_give_the_same_loss()
    {
        var loss = LossFunction.SquaredError;
        var gradient = new float[6];
        double value = loss.Evaluate<float>(gradient, Array.ConvertAll(Predictions, v => (float)v), Array.ConvertAll(Targets, v => (float)v), default, 3, 2);
        Assert.Equal(Residuals.Sum(r => 0.5 * r * r) / 3, value, 6);
        Assert.Equal(-2f / 3, gradient[1], 6);
    }

    [Fact]
    public void Weights_that_sum_to_nothing_are_refused_or_reported()
    {
        var loss = LossFunction.SquaredError;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Evaluate<double>(new double[2], [1.0, 2], [1.0, 1], [0.0, 0], 2, 1));
        Assert.Contains("must add up to a positive number", error.Message);
        Assert.True(double.IsNaN(loss.Evaluate<double>([1.0, 2], [1.0, 1], [0.0, 0], 2, 1)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_huber_delta_must_be_positive_and_finite(double delta)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LossFunction(LossKind.Huber, delta));
        Assert.Equal("huberDelta", error.ParamName);
        Assert.Contains("positive finite", error.Message);
    }

    [Fact]
    public void An_unknown_loss_kind_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LossFunction((LossKind)42));
        Assert.Contains("allowed: squared, absolute, huber", error.Message);
    }
}
