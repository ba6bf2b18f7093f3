using Backprop.Activations;

namespace Backprop.Layers;

/// <summary>One dense layer to build: how many units and which activation they apply.</summary>
/// <param name="Units">Number of outputs of the layer (at least 1).</param>
/// <param name="Activation">The function applied to the layer's pre-activations.</param>
public readonly record struct LayerSpec(int Units, Activation Activation);
