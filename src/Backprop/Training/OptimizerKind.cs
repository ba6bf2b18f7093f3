namespace Backprop.Training;

/// <summary>Which optimizer turns gradients into updates.</summary>
public enum OptimizerKind
{
    /// <summary>The seed's p &lt;- p - eta g.</summary>
    GradientDescent,

    /// <summary>Gradient descent with momentum.</summary>
    Momentum,

    /// <summary>Gradient descent with Nesterov momentum.</summary>
    Nesterov,

    /// <summary>Adam.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,

    /// <summary>L-BFGS on the full batch, one iteration per epoch; the batch size is ignored.</summary>
    Lbfgs,

    /// <summary>iRprop-: sign-based per-weight steps; best with full batches.</summary>
    Rprop,
}
