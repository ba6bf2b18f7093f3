namespace Backprop.Activations;

/// <summary>Dispatches an <see cref="Activation"/> to its forward and backward functions.</summary>
public static class ActivationFunctions
{
    /// <summary>g(z) for one value, in double precision.</summary>
    public static double Value(this Activation activation, double z) => activation switch
    {
        Activation.Identity => Identity.Value(z),
        Activation.Sigmoid => Sigmoid.Value(z),
        Activation.Tanh => Tanh.Value(z),
        Activation.Relu => Relu.Value(z),
        Activation.LeakyRelu => LeakyRelu.Value(z),
        Activation.Softplus => Softplus.Value(z),
        Activation.Gelu => Gelu.Value(z),
        _ => throw Unknown(activation),
    };

    /// <summary>g'(z) for one value, given both z and a = g(z) (sigmoid and tanh use a, as the seed does).</summary>
    public static double Derivative(this Activation activation, double z, double a) => activation switch
    {
        Activation.Identity => Identity.Derivative(z, a),
        Activation.Sigmoid => Sigmoid.Derivative(z, a),
        Activation.Tanh => Tanh.Derivative(z, a),
        Activation.Relu => Relu.Derivative(z, a),
        Activation.LeakyRelu => LeakyRelu.Derivative(z, a),
        Activation.Softplus => Softplus.Derivative(z, a),
        Activation.Gelu => Gelu.Derivative(z, a),
        _ => throw Unknown(activation),
    };

    // Whether g' needs z itself; the others' derivatives come from a = g(z) alone (the seed's
    // a (1 - a) for the sigmoid), so their z need not be kept once a is computed.
    internal static bool SlopeNeedsZ(this Activation activation) =>
        activation is Activation.LeakyRelu or Activation.Softplus or Activation.Gelu;

    // g(z) and dL/dz = delta g' for one value, with the bits the span functions give it, for the
    // activations whose slope comes from the output (SlopeNeedsZ false): the scalar forms of the
    // fused loops, which keep no z and accept only these. Each case is inlined whole and the rest
    // is a throw: a call left in the loops (the other activations' longer bodies) would cost them
    // the registers their values live in.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Of<T>(this Activation activation, T z) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Identity => Identity.Of(z),
        Activation.Sigmoid => Sigmoid.Of(z),
        Activation.Tanh => Tanh.Of(z),
        Activation.Relu => Relu.Of(z),
        _ => throw SlopeNotFromOutput(activation),
    };

    // delta g' from the output: see Of.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T TimesSlope<T>(this Activation activation, T delta, T a) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Identity => Identity.TimesSlope(delta, a),
        Activation.Sigmoid => Sigmoid.TimesSlope(delta, a),
        Activation.Tanh => Tanh.TimesSlope(delta, a),
        Activation.Relu => Relu.TimesSlope(delta, a),
        _ => throw SlopeNotFromOutput(activation),
    };

    // a = g(z), elementwise. Called every step of every layer; a short run (one epoch of online
    // training) ends before tiered compilation would optimise a dispatcher, hence the attribute.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward<T>(Activation activation, Span<T> a, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: Identity.Forward(a, z); break;
            case Activation.Sigmoid: Sigmoid.Forward(a, z); break;
            case Activation.Tanh: Tanh.Forward(a, z); break;
            case Activation.Relu: Relu.Forward(a, z); break;
            case Activation.LeakyRelu: LeakyRelu.Forward(a, z); break;
            case Activation.Softplus: Softplus.Forward(a, z); break;
            case Activation.Gelu: Gelu.Forward(a, z); break;
            default: throw Unknown(activation);
        }
    }

    // delta *= g'(z), turning dL/da into dL/dz.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Backward<T>(Activation activation, Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: Identity.Backward(delta, z, a); break;
            case Activation.Sigmoid: Sigmoid.Backward(delta, z, a); break;
            case Activation.Tanh: Tanh.Backward(delta, z, a); break;
            case Activation.Relu: Relu.Backward(delta, z, a); break;
            case Activation.LeakyRelu: LeakyRelu.Backward(delta, z, a); break;
            case Activation.Softplus: Softplus.Backward(delta, z, a); break;
            case Activation.Gelu: Gelu.Backward(delta, z, a); break;
            default: throw Unknown(activation);
        }
    }

    private static ArgumentOutOfRangeException SlopeNotFromOutput(Activation activation) =>
        new(nameof(activation), activation, "Only activations whose slope comes from their output (identity, sigmoid, tanh, relu) have scalar forms without z.");

    private static ArgumentOutOfRangeException Unknown(Activation activation) =>
        new(nameof(activation), activation, "Unknown activation; allowed: identity, sigmoid, tanh, relu, leakyrelu, softplus, gelu.");
}
