using Backprop.Networks;
using Backprop.Numerics;

namespace Backprop.Training.Steps;

/// <summary>What a trainer hands the runner of its optimizer: the network, the options and the generator behind the shuffles.</summary>
internal sealed record RunnerSetup<T>(Network<T> Network, TrainingOptions Options, Rng Rng) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Length of the network's flat parameter buffer.</summary>
    public int Count => Network.Parameters.Length;

    /// <summary>True for the weights, false for the biases: what weight decay applies to.</summary>
    public bool[] WeightMask()
    {
        var mask = new bool[Count];
        foreach (var layer in Network.Layers)
            mask.AsSpan(layer.WeightOffset, layer.WeightCount).Fill(true);
        return mask;
    }
}
