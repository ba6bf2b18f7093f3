namespace Backprop.Losses;

/// <summary>The per-value loss l(y_hat, y) that training minimises.</summary>
public enum LossKind
{
    /// <summary>l = 1/2 (y - y_hat)^2, the seed's loss; dl/dy_hat = y_hat - y.</summary>
    SquaredError,

    /// <summary>l = |y - y_hat|; dl/dy_hat = sign(y_hat - y), 0 at a perfect fit.</summary>
    AbsoluteError,

    /// <summary>Squared error within delta of the target, absolute error (continued smoothly) beyond it.</summary>
    Huber,
}
