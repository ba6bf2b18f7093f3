namespace Backprop.Tables;

/// <summary>
/// How the targets are transformed before the networks see them. Predictions, scores and ONNX
/// output are always in the targets' own units: the transform is undone on every prediction.
/// </summary>
public enum TargetTransform
{
    /// <summary>Let the search choose: it tries the log where every target is positive and skewed, and keeps what cross-validates better. Without a search: <see cref="None"/>.</summary>
    Auto,

    /// <summary>The targets as they are.</summary>
    None,

    /// <summary>The natural log of each target (every target value must be positive); predictions are e to the network's output.</summary>
    Log,
}
