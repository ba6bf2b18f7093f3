namespace Backprop.Networks;

/// <summary>How <see cref="Network{T}.Initialize"/> draws the starting weights (biases start at 0).</summary>
public enum InitScheme
{
    /// <summary>Chosen from the hidden activation: He for the relu family, Glorot otherwise.</summary>
    Auto,

    /// <summary>Glorot (Xavier) uniform: U(-r, r) with r = sqrt(6 / (inputs + outputs)); suits sigmoid, tanh, identity.</summary>
    GlorotUniform,

    /// <summary>He (Kaiming) uniform: U(-r, r) with r = sqrt(6 / inputs); suits relu and its relatives.</summary>
    HeUniform,
}
