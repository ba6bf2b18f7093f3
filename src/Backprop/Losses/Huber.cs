namespace Backprop.Losses;

/// <summary>
/// l = 1/2 r^2 for |r| &lt;= delta, else delta (|r| - delta/2); dl/dy_hat = r clipped to [-delta, delta].
/// </summary>
internal static class Huber
{
    public static double Value(double residual, double delta)
    {
        double r = Math.Abs(residual);
        return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
    }

    public static double Derivative(double residual, double delta) => Math.Clamp(residual, -delta, delta);
}
