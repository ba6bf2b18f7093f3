using System.Globalization;
using Backprop.Activations;

namespace Backprop.Tables;

/// <summary>One point of the search space: what differs between the networks the search compares.</summary>
/// <param name="Activation">The hidden layers' activation.</param>
/// <param name="HiddenLayers">Hidden layer sizes, first to last.</param>
/// <param name="LearningRate">Adam's base learning rate.</param>
/// <param name="L2">The L2 penalty on the weights.</param>
/// <param name="Transform">The target transform, None or Log.</param>
public sealed record Candidate(Activation Activation, IReadOnlyList<int> HiddenLayers, double LearningRate, double L2, TargetTransform Transform)
{
    /// <summary>A short name, such as <c>relu 128x64 lr 0.003 l2 0.0001 log</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Activation.ToString().ToLowerInvariant()} {(HiddenLayers.Count == 0 ? "linear" : string.Join("x", HiddenLayers))} lr {LearningRate:G3} l2 {L2:G3}{(Transform == TargetTransform.Log ? " log" : "")}");

    /// <inheritdoc />
    public bool Equals(Candidate? other) =>
        other is not null && Activation == other.Activation && HiddenLayers.SequenceEqual(other.HiddenLayers)
        && LearningRate.Equals(other.LearningRate) && L2.Equals(other.L2) && Transform == other.Transform;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Activation, HiddenLayers.Count, LearningRate, L2, Transform);
}
