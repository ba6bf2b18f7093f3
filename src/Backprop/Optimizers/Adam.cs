namespace Backprop.Optimizers;

/// <summary>
/// Adam (Kingma and Ba) with bias correction, and AdamW's decoupled weight decay when
/// <c>weightDecay</c> &gt; 0: p &lt;- p - eta (m_hat / (sqrt(v_hat) + eps) + lambda p), weights only.
/// </summary>
public sealed class Adam<T> : IOptimizer<T>, IRangeOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m;
    private readonly T[] _v;
    private readonly T[] _decays; // 1 where a parameter decays, 0 where not: a factor the vector body can load
    private AdamCoefficients<T> _coefficients; // the current step's, fixed by BeginStep for every range

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
        _decays = new T[parameterCount];
        for (int i = 0; i < parameterCount; i++)
            _decays[i] = decayMask is null || decayMask[i] ? T.One : T.Zero;
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
        if (gradients.Length != parameters.Length || parameters.Length != _m.Length)
            throw new ArgumentException($"Adam was made for {_m.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        BeginStep(learningRate);
        Update(parameters, gradients, _m, _v, _decays, _coefficients);
    }

    void IRangeOptimizer<T>.BeginStep(double learningRate) => BeginStep(learningRate);

    private void BeginStep(double learningRate)
    {
        Steps++;
        _coefficients = Coefficients(learningRate);
    }

    void IRangeOptimizer<T>.UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int length) =>
        Update(parameters.Slice(start, length), gradients.Slice(start, length), _m.AsSpan(start, length), _v.AsSpan(start, length), _decays.AsSpan(start, length), _coefficients);

    // Both bias corrections are folded into the step size, and the second one into epsilon too
    // (the reordering Kingma and Ba give at the end of their section 2): eta m_hat / (sqrt(v_hat) + eps)
    // = eta_t m / (sqrt(v) + eps_t) with eta_t = eta sqrt(1 - beta2^t) / (1 - beta1^t) and
    // eps_t = eps sqrt(1 - beta2^t). The per-parameter loop then computes no power and divides once:
    // a square root and a division are what bound it.
    internal AdamCoefficients<T> Coefficients(double learningRate)
    {
        double sqrtC2 = Math.Sqrt(1 - Math.Pow(Beta2, Steps));
        return new(
            T.CreateTruncating(Beta1),
            T.CreateTruncating(Beta2),
            T.CreateTruncating(learningRate * sqrtC2 / (1 - Math.Pow(Beta1, Steps))),
            T.CreateTruncating(Epsilon * sqrtC2),
            WeightDecay > 0 ? T.CreateTruncating(learningRate * WeightDecay) : T.Zero);
    }

    // One pass over the flat buffers: a vector body and a scalar tail doing the same operations in
    // the same order as UpdateReference, so every parameter gets the same bits either way.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, ReadOnlySpan<T> decays, in AdamCoefficients<T> c)
    {
        T ob1 = T.One - c.Beta1, ob2 = T.One - c.Beta2;
        bool decay = c.Decay != T.Zero;
        int i = 0, width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vb1 = new(c.Beta1), vb2 = new(c.Beta2), vob1 = new(ob1), vob2 = new(ob2);
            Vector<T> step = new(c.StepSize), eps = new(c.Epsilon), vdecay = new(c.Decay);
            for (; i <= parameters.Length - width; i += width)
            {
                var g = new Vector<T>(gradients[i..]);
                var p = new Vector<T>(parameters[i..]);
                if (decay)
                    p -= vdecay * new Vector<T>(decays[i..]) * p;
                var mi = vb1 * new Vector<T>(m[i..]) + vob1 * g;
                var vi = vb2 * new Vector<T>(v[i..]) + vob2 * g * g;
                p -= step * mi / (Vector.SquareRoot(vi) + eps);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                p.CopyTo(parameters[i..]);
            }
        }
        UpdateReference(parameters[i..], gradients[i..], m[i..], v[i..], decays[i..], c);
    }

    // The plain loop: the reference the vector body is tested against, and its tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void UpdateReference(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, ReadOnlySpan<T> decays, in AdamCoefficients<T> c)
    {
        T ob1 = T.One - c.Beta1, ob2 = T.One - c.Beta2;
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (c.Decay != T.Zero)
                parameters[i] -= c.Decay * decays[i] * parameters[i];
            m[i] = c.Beta1 * m[i] + ob1 * g;
            v[i] = c.Beta2 * v[i] + ob2 * g * g;
            parameters[i] -= c.StepSize * m[i] / (T.Sqrt(v[i]) + c.Epsilon);
        }
    }

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, double[]> state, long steps)
    {
        OptimizerState.CopyInto(State, state);
        Steps = steps;
    }
}

/// <summary>One Adam step's scalars: the betas, the step size and epsilon with the bias corrections
/// folded in (see Adam.Coefficients), and the decoupled decay (eta lambda, 0 for plain Adam).</summary>
internal readonly record struct AdamCoefficients<T>(T Beta1, T Beta2, T StepSize, T Epsilon, T Decay);
