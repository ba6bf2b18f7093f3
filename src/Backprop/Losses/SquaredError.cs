namespace Backprop.Losses;

/// <summary>l = 1/2 (y_hat - y)^2, dl/dy_hat = y_hat - y: the seed's (a2 - y), with no factor 2.</summary>
internal static class SquaredError
{
    public static double Value(double residual) => 0.5 * residual * residual;

    public static double Derivative(double residual) => residual;
}
