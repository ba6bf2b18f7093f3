namespace Backprop.Optimizers;

/// <summary>
/// iRprop- (Igel and Husken): each parameter has its own step size, grown by 1.2 while its
/// gradient keeps its sign and halved when the sign flips (and that step skipped); only the
/// sign of the gradient is used, so the learning rate is ignored.
/// </summary>
/// <remarks>Meant for full-batch training, as FANN uses it; with small batches the signs are noisy.</remarks>
public sealed class Rprop<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Increase = 1.2, Decrease = 0.5, MaxStep = 50.0, MinStep = 1e-6;
    private readonly T[] _step;
    private readonly T[] _previous;

    /// <summary>Creates the optimizer with every step size at <paramref name="initialStep"/>.</summary>
    public Rprop(int parameterCount, double initialStep = 0.1)
    {
        if (!(initialStep > 0))
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "the initial step must be positive.");
        _step = Enumerable.Repeat(T.CreateTruncating(initialStep), parameterCount).ToArray();
        _previous = new T[parameterCount];
    }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, T[]> State => new Dictionary<string, T[]> { ["step"] = _step, ["previous_gradient"] = _previous };

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
    {
        T up = T.CreateTruncating(Increase), down = T.CreateTruncating(Decrease);
        T max = T.CreateTruncating(MaxStep), min = T.CreateTruncating(MinStep);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            T sign = g * _previous[i];
            if (sign > T.Zero)
                _step[i] = T.Min(_step[i] * up, max);
            else if (sign < T.Zero)
            {
                _step[i] = T.Max(_step[i] * down, min);
                g = T.Zero; // iRprop-: forget this gradient so the next step neither grows nor shrinks
            }
            parameters[i] -= T.CreateTruncating(T.Sign(g)) * _step[i];
            _previous[i] = g;
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
