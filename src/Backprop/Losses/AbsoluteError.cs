namespace Backprop.Losses;

/// <summary>l = |y_hat - y|, dl/dy_hat = sign(y_hat - y); the subgradient 0 is taken at a perfect fit.</summary>
internal static class AbsoluteError
{
    public static double Value(double residual) => Math.Abs(residual);

    public static double Derivative(double residual) => Math.Sign(residual);
}
