using Backprop.Kernels;

namespace Backprop.Optimizers;

/// <summary>
/// Gradient descent, the seed's p &lt;- p - eta dL/dp, with optional (Nesterov) momentum:
/// v &lt;- mu v - eta g, then p &lt;- p + v, or p &lt;- p + mu v - eta g with Nesterov.
/// </summary>
public sealed class GradientDescent<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _velocity;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Length of the parameter buffer.</param>
    /// <param name="momentum">mu in [0, 1); 0 is the seed's plain gradient descent.</param>
    /// <param name="nesterov">Look ahead along the velocity (needs momentum &gt; 0 to matter).</param>
    public GradientDescent(int parameterCount, double momentum = 0.0, bool nesterov = false)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1).");
        Momentum = momentum;
        Nesterov = nesterov;
        _velocity = momentum > 0 ? new T[parameterCount] : [];
    }

    /// <summary>mu.</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, T[]> State => new Dictionary<string, T[]> { ["velocity"] = _velocity };

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
    {
        T eta = T.CreateTruncating(learningRate);
        if (Momentum == 0)
        {
            // p + (-eta) g rounds exactly like p - eta g, in vector lanes and in the tail alike.
            VectorOps.Axpy(parameters, -eta, gradients);
        }
        else
        {
            T mu = T.CreateTruncating(Momentum);
            var v = _velocity.AsSpan();
            for (int i = 0; i < parameters.Length; i++)
            {
                v[i] = mu * v[i] - eta * gradients[i];
                parameters[i] += Nesterov ? mu * v[i] - eta * gradients[i] : v[i];
            }
        }
        Steps++;
    }

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps)
    {
        OptimizerState.CopyInto(State, state);
        Steps = steps;
    }
}
