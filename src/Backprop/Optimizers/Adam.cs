namespace Backprop.Optimizers;

/// <summary>
/// Adam (Kingma and Ba) with bias correction, and AdamW's decoupled weight decay when
/// <c>weightDecay</c> &gt; 0: p &lt;- p - eta (m_hat / (sqrt(v_hat) + eps) + lambda p), weights only.
/// </summary>
public sealed class Adam<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m;
    private readonly T[] _v;
    private readonly bool[] _decays;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">Length of the parameter buffer.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to sqrt(v_hat), positive.</param>
    /// <param name="weightDecay">AdamW's lambda (0 for plain Adam).</param>
    /// <param name="decayMask">Which parameters decay (true for weights, false for biases); null = all.</param>
    public Adam(int parameterCount, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.0, bool[]? decayMask = null)
    {
        if (!(beta1 >= 0 && beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        if (!(weightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be 0 or more.");
        if (decayMask is not null && decayMask.Length != parameterCount)
            throw new ArgumentException("decayMask must have one entry per parameter.", nameof(decayMask));
        (Beta1, Beta2, Epsilon, WeightDecay) = (beta1, beta2, epsilon, weightDecay);
        _m = new T[parameterCount];
        _v = new T[parameterCount];
        _decays = decayMask ?? Enumerable.Repeat(true, parameterCount).ToArray();
    }

    /// <summary>beta1.</summary>
    public double Beta1 { get; }

    /// <summary>beta2.</summary>
    public double Beta2 { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>AdamW's decoupled weight decay lambda.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, T[]> State => new Dictionary<string, T[]> { ["m"] = _m, ["v"] = _v };

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
    {
        Steps++;
        // The bias corrections are folded into the step size and epsilon, as PyTorch does, so
        // the per-parameter loop has no divisions by them.
        double c1 = 1 - Math.Pow(Beta1, Steps);
        double c2 = 1 - Math.Pow(Beta2, Steps);
        T b1 = T.CreateTruncating(Beta1), b2 = T.CreateTruncating(Beta2);
        T ob1 = T.One - b1, ob2 = T.One - b2;
        T stepSize = T.CreateTruncating(learningRate / c1);
        T sqrtC2 = T.CreateTruncating(Math.Sqrt(c2));
        T eps = T.CreateTruncating(Epsilon);
        T decay = T.CreateTruncating(learningRate * WeightDecay);
        var m = _m.AsSpan();
        var v = _v.AsSpan();
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (WeightDecay > 0 && _decays[i])
                parameters[i] -= decay * parameters[i];
            m[i] = b1 * m[i] + ob1 * g;
            v[i] = b2 * v[i] + ob2 * g * g;
            parameters[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / sqrtC2 + eps);
        }
    }

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps)
    {
        OptimizerState.CopyInto(State, state);
        Steps = steps;
    }
}
