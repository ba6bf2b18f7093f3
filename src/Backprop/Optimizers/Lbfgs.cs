namespace Backprop.Optimizers;

/// <summary>
/// Limited-memory BFGS on the full training set, with a backtracking line search that only
/// accepts a step satisfying the Armijo condition f(x + t d) &lt;= f(x) + 1e-4 t g.d, so every
/// accepted iteration strictly lowers the loss.
/// </summary>
/// <remarks>
/// One call to <see cref="Iterate"/> is one iteration; the trainer reports each as an epoch.
/// The loss and gradient at the current point are cached between iterations; call
/// <see cref="Reset"/> if the parameters are changed from outside.
/// </remarks>
public sealed class Lbfgs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;
    private readonly int _memory;
    private readonly double[][] _s;
    private readonly double[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private readonly double[] _direction;
    private readonly double[] _gradient;
    private readonly double[] _start;
    private readonly T[] _trialGradient;
    private int _count, _newest = -1;
    private double _loss = double.NaN;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">Length of the parameter buffer.</param>
    /// <param name="memory">How many (s, y) pairs approximate the inverse Hessian (at least 1).</param>
    public Lbfgs(int parameterCount, int memory = 10)
    {
        if (memory < 1)
            throw new ArgumentOutOfRangeException(nameof(memory), memory, "L-BFGS memory must be at least 1.");
        _memory = memory;
        _s = new double[memory][];
        _y = new double[memory][];
        for (int i = 0; i < memory; i++)
        {
            _s[i] = new double[parameterCount];
            _y[i] = new double[parameterCount];
        }
        _rho = new double[memory];
        _alpha = new double[memory];
        _direction = new double[parameterCount];
        _gradient = new double[parameterCount];
        _start = new double[parameterCount];
        _trialGradient = new T[parameterCount];
    }

    /// <summary>Iterations that moved the parameters.</summary>
    public long Steps { get; private set; }

    /// <summary>Forgets the curvature history and the cached loss.</summary>
    public void Reset()
    {
        _count = 0;
        _newest = -1;
        _loss = double.NaN;
    }

    /// <summary>
    /// One L-BFGS iteration. <paramref name="evaluate"/> must compute the loss at the current
    /// <paramref name="parameters"/> and write dL/dp into the span it is given.
    /// </summary>
    /// <returns>The loss after the iteration, the gradient norm there, and whether a step was accepted.</returns>
    public LbfgsIteration Iterate(T[] parameters, Func<T[], double> evaluate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(evaluate);
        int n = parameters.Length;
        if (double.IsNaN(_loss))
        {
            _loss = evaluate(_trialGradient);
            Copy(_trialGradient, _gradient);
        }
        if (!double.IsFinite(_loss))
            return new LbfgsIteration(_loss, double.NaN, false);

        ComputeDirection();
        double slope = Dot(_gradient, _direction);
        if (!(slope < 0))
        {
            // Not a descent direction (curvature pairs gone stale): fall back to steepest descent.
            _count = 0;
            _newest = -1;
            for (int i = 0; i < n; i++)
                _direction[i] = -_gradient[i];
            slope = Dot(_gradient, _direction);
        }
        double gradNorm = Math.Sqrt(Dot(_gradient, _gradient));
        if (gradNorm == 0)
            return new LbfgsIteration(_loss, 0, false);

        // The first step has no curvature to scale it: keep it to unit length.
        double t = _count == 0 ? Math.Min(1.0, 1.0 / gradNorm) : 1.0;
        Copy(parameters, _start);
        for (int attempt = 0; attempt < MaxBacktracks; attempt++)
        {
            for (int i = 0; i < n; i++)
                parameters[i] = T.CreateTruncating(_start[i] + t * _direction[i]);
            double trial = evaluate(_trialGradient);
            if (double.IsFinite(trial) && trial <= _loss + Armijo * t * slope && trial < _loss)
            {
                Remember(parameters);
                _loss = trial;
                Steps++;
                return new LbfgsIteration(trial, Math.Sqrt(Dot(_gradient, _gradient)), true);
            }
            t *= 0.5;
        }
        // No step lowered the loss: stay where we were, which is as good as L-BFGS can do here.
        for (int i = 0; i < n; i++)
            parameters[i] = T.CreateTruncating(_start[i]);
        return new LbfgsIteration(_loss, gradNorm, false);
    }

    /// <summary>The curvature history and cached point, for checkpoints.</summary>
    public IReadOnlyDictionary<string, double[]> CaptureState()
    {
        var state = new Dictionary<string, double[]>
        {
            ["rho"] = (double[])_rho.Clone(),
            ["gradient"] = (double[])_gradient.Clone(),
            ["counters"] = [_count, _newest, _loss, Steps],
        };
        for (int i = 0; i < _memory; i++)
        {
            state[$"s{i}"] = (double[])_s[i].Clone();
            state[$"y{i}"] = (double[])_y[i].Clone();
        }
        return state;
    }

    /// <summary>Puts back what <see cref="CaptureState"/> returned.</summary>
    /// <exception cref="ArgumentException">The state does not fit this optimizer's size or memory.</exception>
    public void RestoreState(IReadOnlyDictionary<string, double[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Copy(state, "rho", _rho);
        Copy(state, "gradient", _gradient);
        for (int i = 0; i < _memory; i++)
        {
            Copy(state, $"s{i}", _s[i]);
            Copy(state, $"y{i}", _y[i]);
        }
        var counters = new double[4];
        Copy(state, "counters", counters);
        _count = (int)counters[0];
        _newest = (int)counters[1];
        _loss = counters[2];
        Steps = (long)counters[3];
        if (_count < 0 || _count > _memory || _newest < -1 || _newest >= _memory)
            throw new ArgumentException("The saved L-BFGS state has impossible counters.", nameof(state));
    }

    private static void Copy(IReadOnlyDictionary<string, double[]> state, string name, double[] target)
    {
        if (!state.TryGetValue(name, out var values) || values.Length != target.Length)
            throw new ArgumentException($"The saved L-BFGS state lacks '{name}' or it has the wrong length.", nameof(state));
        values.CopyTo(target, 0);
    }

    // d = -H g by the two-loop recursion over the stored (s, y) pairs, newest first.
    private void ComputeDirection()
    {
        int n = _direction.Length;
        for (int i = 0; i < n; i++)
            _direction[i] = -_gradient[i];
        int k = _newest;
        for (int c = 0; c < _count; c++)
        {
            _alpha[k] = _rho[k] * Dot(_s[k], _direction);
            Axpy(_direction, -_alpha[k], _y[k]);
            k = (k - 1 + _memory) % _memory;
        }
        if (_count > 0)
        {
            double gamma = Dot(_s[_newest], _y[_newest]) / Dot(_y[_newest], _y[_newest]);
            for (int i = 0; i < n; i++)
                _direction[i] *= gamma;
        }
        k = (_newest - _count + 1 + _memory) % _memory;
        for (int c = 0; c < _count; c++)
        {
            double beta = _rho[k] * Dot(_y[k], _direction);
            Axpy(_direction, _alpha[k] - beta, _s[k]);
            k = (k + 1) % _memory;
        }
    }

    // Stores s = x_new - x_old and y = g_new - g_old when the curvature s.y is positive, and moves
    // the cached gradient to the new point.
    private void Remember(T[] parameters)
    {
        int slot = (_newest + 1) % _memory;
        var s = _s[slot];
        var y = _y[slot];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = double.CreateTruncating(parameters[i]) - _start[i];
            double g = double.CreateTruncating(_trialGradient[i]);
            y[i] = g - _gradient[i];
            _gradient[i] = g;
        }
        double sy = Dot(s, y);
        if (sy > 1e-10 * Math.Sqrt(Dot(y, y) * Dot(s, s)))
        {
            _rho[slot] = 1.0 / sy;
            _newest = slot;
            _count = Math.Min(_count + 1, _memory);
        }
        else if (_count == _memory)
        {
            _count--; // the slot just overwritten held the oldest pair
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double[] y, double alpha, double[] x)
    {
        for (int i = 0; i < y.Length; i++)
            y[i] += alpha * x[i];
    }

    private static void Copy(T[] from, double[] to)
    {
        for (int i = 0; i < from.Length; i++)
            to[i] = double.CreateTruncating(from[i]);
    }
}

/// <summary>The outcome of one L-BFGS iteration.</summary>
/// <param name="Loss">The objective at the parameters after the iteration.</param>
/// <param name="GradientNorm">The Euclidean norm of the gradient there.</param>
/// <param name="Moved">False when no step lowered the loss (the optimizer has converged or stalled).</param>
public readonly record struct LbfgsIteration(double Loss, double GradientNorm, bool Moved);
