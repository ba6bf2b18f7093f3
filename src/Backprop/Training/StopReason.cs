namespace Backprop.Training;

/// <summary>Why a training run ended.</summary>
public enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    EpochLimit,

    /// <summary>The validation loss stopped improving; the best epoch's weights were restored.</summary>
    EarlyStopping,

    /// <summary>The optimizer could not lower the loss any further (L-BFGS), or the gradient vanished.</summary>
    Converged,

    /// <summary>The wall-clock budget ran out.</summary>
    TimeBudget,

    /// <summary>The caller cancelled; the best weights so far were kept.</summary>
    Cancelled,

    /// <summary>
    /// The loss became NaN or infinite (the last good weights were restored), or the run ended with
    /// a loss more than twice the one it started from, on a sample of the training rows (of the
    /// validation rows for a streamed run; the weights it kept stay): either way the learning rate
    /// is usually too high.
    /// </summary>
    Diverged,
}
