using Backprop.Kernels;

namespace Backprop.Optimizers;

/// <summary>
/// Gradient descent, the seed's p &lt;- p - eta dL/dp, with optional (Nesterov) momentum:
/// v &lt;- mu v - eta g, then p &lt;- p + v, or p &lt;- p + mu v - eta g with Nesterov.
/// </summary>
public sealed class GradientDescent<T> : IOptimizer<T>, IRangeOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _velocity;
    private T _eta; // the current step's learning rate, fixed by BeginStep for every range

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
        BeginStep(learningRate);
        UpdateRange(parameters, gradients, 0, parameters.Length);
    }

    // Steps taken for this optimizer by a loop that applies its update itself (online descent).
    internal void CountSteps(int steps) => Steps += steps;

    // The plain update's factor, -eta: p + (-eta) g rounds exactly like p - eta g.
    internal static T PlainFactor(double learningRate) => -T.CreateTruncating(learningRate);

    // The plain update (no momentum) of one parameter, with the bits Step gives it, for a loop that
    // fuses the update into the backward pass; factor is PlainFactor(eta).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T PlainUpdate(T parameter, T gradient, T factor) => parameter + factor * gradient;

    void IRangeOptimizer<T>.BeginStep(double learningRate) => BeginStep(learningRate);

    private void BeginStep(double learningRate)
    {
        _eta = T.CreateTruncating(learningRate);
        Steps++;
    }

    void IRangeOptimizer<T>.UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int length) =>
        UpdateRange(parameters, gradients, start, length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int length)
    {
        T eta = _eta;
        var p = parameters.Slice(start, length);
        var g = gradients.Slice(start, length);
        if (Momentum == 0)
        {
            // PlainUpdate, a vector at a time: Axpy's y + alpha x, in vector lanes and in the tail alike.
            VectorOps.Axpy(p, -eta, g);
            return;
        }
        T mu = T.CreateTruncating(Momentum);
        var v = _velocity.AsSpan(start, length);
        for (int i = 0; i < p.Length; i++)
        {
            v[i] = mu * v[i] - eta * g[i];
            p[i] += Nesterov ? mu * v[i] - eta * g[i] : v[i];
        }
    }

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps)
    {
        OptimizerState.CopyInto(State, state);
        Steps = steps;
    }
}
