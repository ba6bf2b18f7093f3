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

    // g(z) for one value, with the bits the span Forward gives it: for loops that fuse a layer's
    // arithmetic and cannot afford a call per value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Of<T>(this Activation activation, T z) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Identity => Identity.Of(z),
        Activation.Sigmoid => Sigmoid.Of(z),
        Activation.Tanh => Tanh.Of(z),
        Activation.Relu => Relu.Of(z),
        Activation.LeakyRelu => LeakyRelu.Of(z),
        Activation.Softplus => Softplus.Of(z),
        Activation.Gelu => Gelu.Of(z),
        _ => throw Unknown(activation),
    };

    // dL/dz = delta g' for one value, from dL/da = delta, z and a = g(z), with the bits the span
    // Backward gives it (each activation reads the one of z and a its slope is written in).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T TimesSlope<T>(this Activation activation, T delta, T z, T a) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Identity => Identity.TimesSlope(delta, z, a),
        Activation.Sigmoid => Sigmoid.TimesSlope(delta, z, a),
        Activation.Tanh => Tanh.TimesSlope(delta, z, a),
        Activation.Relu => Relu.TimesSlope(delta, z, a),
        Activation.LeakyRelu => LeakyRelu.TimesSlope(delta, z, a),
        Activation.Softplus => Softplus.TimesSlope(delta, z, a),
        Activation.Gelu => Gelu.TimesSlope(delta, z, a),
        _ => throw Unknown(activation),
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

    private static ArgumentOutOfRangeException Unknown(Activation activation) =>
        new(nameof(activation), activation, "Unknown activation; allowed: identity, sigmoid, tanh, relu, leakyrelu, softplus, gelu.");
}
