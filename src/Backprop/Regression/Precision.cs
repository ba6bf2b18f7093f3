namespace Backprop.Regression;

/// <summary>The floating-point type a network computes in.</summary>
public enum Precision
{
    /// <summary>32-bit float: twice the vector width, the default for speed.</summary>
    Single,

    /// <summary>64-bit double: for exact checks and very small learning rates.</summary>
    Double,
}
