namespace Backprop.Activations;

/// <summary>The function a layer applies to its pre-activations z to give its outputs a = g(z).</summary>
public enum Activation
{
    /// <summary>g(z) = z. The output layer of a regressor always uses it.</summary>
    Identity,

    /// <summary>g(z) = 1 / (1 + e^-z); g' = a (1 - a), computed from the output as in the seed.</summary>
    Sigmoid,

    /// <summary>g(z) = tanh z; g' = 1 - a^2, computed from the output as in the seed.</summary>
    Tanh,

    /// <summary>g(z) = max(0, z); g' = 1 for z &gt; 0, else 0.</summary>
    Relu,

    /// <summary>g(z) = z for z &gt; 0, else 0.01 z.</summary>
    LeakyRelu,

    /// <summary>g(z) = ln(1 + e^z); g' = sigmoid(z).</summary>
    Softplus,

    /// <summary>
    /// Gaussian error linear unit in its tanh form,
    /// g(z) = z/2 (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))), the form ONNX and GPT-2 use.
    /// </summary>
    Gelu,
}
