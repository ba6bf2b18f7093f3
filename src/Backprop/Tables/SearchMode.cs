namespace Backprop.Tables;

/// <summary>What <see cref="TableModel.Fit"/> trains.</summary>
public enum SearchMode
{
    /// <summary>
    /// The default: a small fixed search (docs/defaults.md, "The search") scored by K-fold
    /// cross-validation, and the K fold networks of the best candidate averaged as the model.
    /// </summary>
    Auto,

    /// <summary>One network with the options as given, trained on the training rows with early stopping on a held-out share.</summary>
    None,
}
