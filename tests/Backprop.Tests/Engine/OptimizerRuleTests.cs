using Backprop.Activations;
using Backprop.Networks;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Each optimizer's update rule against an independent statement of it: a different but equivalent
// formulation from the literature, a dense-matrix version, or a sequence worked out by hand. "The
// loss went down" (TrainingBehaviourTests) cannot tell Nesterov from plain momentum; these can.
public class OptimizerRuleTests
{
    // f(p) = 1/2 sum_i a_i p_i^2 - b_i p_i: an ill-conditioned quadratic with a known gradient.
    private static readonly double[] Curvature = [1.0, 10.0, 0.1, 3.0];
    private static readonly double[] Offset = [0.5, -1.0, 2.0, 0.0];
    private static readonly double[] Start = [1.0, -2.0, 0.5, 3.0];

    private static double[] Gradient(ReadOnlySpan<double> p)
    {
        var g = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
            g[i] = Curvature[i] * p[i] - Offset[i];
        return g;
    }

    private static double Loss(ReadOnlySpan<double> p)
    {
        double f = 0;
        for (int i = 0; i < p.Length; i++)
            f += 0.5 * Curvature[i] * p[i] * p[i] - Offset[i] * p[i];
        return f;
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"{what}, parameter {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void Momentum_follows_the_heavy_ball_recurrence()
    {
        // Polyak's heavy ball, written without a velocity: p+ = p - eta g(p) + mu (p - p-).
        const double Eta = 0.05, Mu = 0.9;
        var optimizer = new GradientDescent<double>(Start.Length, Mu);
        var p = (double[])Start.Clone();
        var previous = (double[])Start.Clone();
        var reference = (double[])Start.Clone();
        for (int step = 1; step <= 25; step++)
        {
            optimizer.Step(p, Gradient(p), Eta);
            var g = Gradient(reference);
            var next = new double[reference.Length];
            for (int i = 0; i < next.Length; i++)
                next[i] = reference[i] - Eta * g[i] + Mu * (reference[i] - previous[i]);
            (previous, reference) = (reference, next);
            AssertClose(reference, p, $"momentum step {step}");
        }
    }

    [Fact]
    public void Nesterov_follows_the_look_ahead_rule()
    {
        // Sutskever et al.'s form: the gradient is taken at the look-ahead point theta + mu v,
        // v+ = mu v - eta g(theta + mu v), theta+ = theta + v+. The optimizer keeps the look-ahead
        // point itself as its parameters (p = theta + mu v), which is the same rule in other coordinates.
        const double Eta = 0.05, Mu = 0.9;
        var optimizer = new GradientDescent<double>(Start.Length, Mu, nesterov: true);
        var p = (double[])Start.Clone();
        var theta = (double[])Start.Clone();
        var v = new double[Start.Length];
        for (int step = 1; step <= 25; step++)
        {
            optimizer.Step(p, Gradient(p), Eta);
            var lookAhead = new double[theta.Length];
            for (int i = 0; i < theta.Length; i++)
                lookAhead[i] = theta[i] + Mu * v[i];
            var g = Gradient(lookAhead);
            for (int i = 0; i < theta.Length; i++)
            {
                v[i] = Mu * v[i] - Eta * g[i];
                theta[i] += v[i];
            }
            var expected = new double[theta.Length];
            for (int i = 0; i < theta.Length; i++)
                expected[i] = theta[i] + Mu * v[i];
            AssertClose(expected, p, $"Nesterov step {step}");
        }
    }

    [Fact]
    public void Nesterov_and_momentum_part_ways_after_the_first_step()
    {
        // From rest, momentum moves by v = -eta g and Nesterov by mu v - eta g = -(1 + mu) eta g:
        // the two rules differ from the first step on.
        var momentum = new GradientDescent<double>(1, 0.9);
        var nesterov = new GradientDescent<double>(1, 0.9, nesterov: true);
        double[] a = [1.0], b = [1.0];
        momentum.Step(a, [2.0], 0.1);
        nesterov.Step(b, [2.0], 0.1);
        Assert.Equal(1.0 - 0.2, a[0], 15);
        Assert.Equal(1.0 - 0.9 * 0.2 - 0.2, b[0], 15);
    }

    [Fact]
    public void Rprop_follows_the_iRprop_minus_rule_worked_by_hand()
    {
        // One parameter, initial step 0.1, gradients chosen to exercise every branch:
        // same sign grows the step by 1.2; a flip halves it and skips the move (and is forgotten,
        // so the next step neither grows nor shrinks); only the sign of the gradient counts.
        var rprop = new Rprop<double>(1, initialStep: 0.1);
        double[] p = [1.0];
        (double Gradient, double Expected)[] steps =
        [
            (+3.0, 1.0 - 0.1),           // no previous sign: step 0.1
            (+1e-9, 0.9 - 0.12),         // same sign: 0.12, whatever the magnitude
            (-5.0, 0.78),                // flip: step 0.06, no move
            (-5.0, 0.78 + 0.06),         // previous forgotten: step stays 0.06
            (-1.0, 0.84 + 0.072),        // same sign: 0.072
            (+2.0, 0.912),               // flip: 0.036, no move
            (0.0, 0.912),                // zero gradient: no move, step kept
            (+1.0, 0.912 - 0.036),       // zero before: neither grows nor shrinks
        ];
        foreach (var (gradient, expected) in steps)
        {
            rprop.Step(p, [gradient], learningRate: 123.0); // the rate is ignored
            Assert.Equal(expected, p[0], 12);
        }
        Assert.Equal(steps.Length, rprop.Steps);
    }

    [Fact]
    public void Rprop_steps_stay_between_their_bounds()
    {
        var growing = new Rprop<double>(1, initialStep: 0.1);
        double[] p = [0.0];
        for (int i = 0; i < 60; i++)
            growing.Step(p, [1.0], 0.01);
        double before = p[0];
        growing.Step(p, [1.0], 0.01);
        Assert.Equal(50.0, before - p[0], 12); // 0.1 * 1.2^60 is far past the cap of 50

        var shrinking = new Rprop<double>(1, initialStep: 0.1);
        double[] q = [0.0];
        for (int i = 0; i < 80; i++)
            shrinking.Step(q, [i % 4 < 2 ? 1.0 : -1.0], 0.01); // +,+,-,-: a flip every other step
        Assert.Equal(1e-6, shrinking.State["step"][0], 15);
    }

    [Fact]
    public void Adam_follows_the_bias_corrected_textbook_rule()
    {
        // Kingma and Ba, algorithm 1, as written (bias-corrected moments, epsilon outside the root),
        // plus AdamW's decoupled decay of the decaying parameters: p -= eta lambda p before the step.
        const double Eta = 0.01, B1 = 0.9, B2 = 0.999, Eps = 1e-8, Lambda = 0.1;
        bool[] decays = [true, false, true, false];
        foreach (double lambda in new[] { 0.0, Lambda })
        {
            var adam = new Adam<double>(Start.Length, B1, B2, Eps, lambda, decays);
            var p = (double[])Start.Clone();
            var reference = (double[])Start.Clone();
            var m = new double[Start.Length];
            var v = new double[Start.Length];
            for (int t = 1; t <= 30; t++)
            {
                adam.Step(p, Gradient(p), Eta);
                var g = Gradient(reference);
                for (int i = 0; i < reference.Length; i++)
                {
                    if (decays[i])
                        reference[i] -= Eta * lambda * reference[i];
                    m[i] = B1 * m[i] + (1 - B1) * g[i];
                    v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.Pow(B1, t)), vHat = v[i] / (1 - Math.Pow(B2, t));
                    reference[i] -= Eta * mHat / (Math.Sqrt(vHat) + Eps);
                }
                // Folding the corrections into the step size and epsilon reorders the rounding only.
                for (int i = 0; i < reference.Length; i++)
                    Assert.True(Math.Abs(reference[i] - p[i]) <= 1e-10, $"lambda {lambda}, step {t}, parameter {i}: {reference[i]:R} vs {p[i]:R}");
            }
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2)]
    public void Lbfgs_steps_along_the_dense_bfgs_direction(int memory)
    {
        // The two-loop recursion must give d = -H g with H the BFGS inverse-Hessian update applied
        // densely to gamma I (gamma = s.y / y.y of the newest pair) over the last `memory` pairs,
        // and the accepted step must be t d with t = 1, 1/2, 1/4, ... satisfying Armijo.
        int n = Start.Length;
        var lbfgs = new Lbfgs<double>(n, memory);
        var x = (double[])Start.Clone();
        var points = new List<double[]> { (double[])x.Clone() };
        double Evaluate(double[] gradient)
        {
            Gradient(x).CopyTo(gradient, 0);
            return Loss(x);
        }
        for (int k = 0; k < 8; k++)
        {
            var result = lbfgs.Iterate(x, Evaluate);
            Assert.True(result.Moved, $"iteration {k + 1} did not move");
            Assert.Equal(Loss(x), result.Loss, 12);
            points.Add((double[])x.Clone());
        }

        for (int k = 0; k + 1 < points.Count; k++)
        {
            var g = Gradient(points[k]);
            double[] direction;
            if (k == 0)
            {
                direction = g.Select(v => -v).ToArray();
            }
            else
            {
                var pairs = Enumerable.Range(Math.Max(0, k - memory), Math.Min(k, memory))
                    .Select(j => (S: Minus(points[j + 1], points[j]), Y: Minus(Gradient(points[j + 1]), Gradient(points[j])))).ToList();
                var (sNew, yNew) = pairs[^1];
                double gamma = Dot(sNew, yNew) / Dot(yNew, yNew);
                var h = new double[n, n];
                for (int i = 0; i < n; i++)
                    h[i, i] = gamma;
                foreach (var (s, y) in pairs)
                    h = BfgsUpdate(h, s, y);
                direction = new double[n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        direction[i] -= h[i, j] * g[j];
            }
            var step = Minus(points[k + 1], points[k]);
            // step = t d: find t from the largest component and check every other one against it.
            int largest = Enumerable.Range(0, n).MaxBy(i => Math.Abs(direction[i]));
            double t = step[largest] / direction[largest];
            double first = k == 0 ? Math.Min(1, 1 / Math.Sqrt(Dot(g, g))) : 1;
            double halvings = Math.Log2(first / t);
            Assert.True(Math.Abs(halvings - Math.Round(halvings)) < 1e-9 && halvings > -1e-9, $"iteration {k + 1}: t = {t:R} is not {first:R} / 2^j");
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(step[i] - t * direction[i]) <= 1e-9 * (1 + Math.Abs(step[i])), $"iteration {k + 1}, parameter {i}: step {step[i]:R}, t d = {t * direction[i]:R}");
            Assert.True(Loss(points[k + 1]) <= Loss(points[k]) + 1e-4 * t * Dot(g, direction), $"iteration {k + 1} breaks the Armijo condition");
        }
    }

    [Fact]
    public void Lbfgs_stays_put_at_a_minimum()
    {
        var lbfgs = new Lbfgs<double>(Start.Length);
        var x = Offset.Select((b, i) => b / Curvature[i]).ToArray(); // where the gradient is zero
        var at = (double[])x.Clone();
        var result = lbfgs.Iterate(x, gradient => { Gradient(x).CopyTo(gradient, 0); return Loss(x); });
        Assert.False(result.Moved);
        Assert.Equal(0, result.GradientNorm);
        Assert.Equal(at, x);
    }

    [Fact]
    public void The_trainer_builds_the_optimizer_each_kind_names()
    {
        IOptimizer<double>? Built(OptimizerKind kind)
        {
            var network = Network<double>.Create(2, [3], Activation.Tanh, 1);
            return new Trainer<double>(network, new TrainingOptions { Optimizer = kind, Momentum = 0.8, WeightDecay = 0.01 }).Optimizer;
        }
        (double, bool) Descent(OptimizerKind kind) => Assert.IsType<GradientDescent<double>>(Built(kind)) is { } d ? (d.Momentum, d.Nesterov) : default;
        Assert.Equal((0.0, false), Descent(OptimizerKind.GradientDescent));
        Assert.Equal((0.8, false), Descent(OptimizerKind.Momentum));
        Assert.Equal((0.8, true), Descent(OptimizerKind.Nesterov));
        Assert.Equal(0.0, Assert.IsType<Adam<double>>(Built(OptimizerKind.Adam)).WeightDecay);
        Assert.Equal(0.01, Assert.IsType<Adam<double>>(Built(OptimizerKind.AdamW)).WeightDecay);
        Assert.IsType<Rprop<double>>(Built(OptimizerKind.Rprop));
        Assert.Null(Built(OptimizerKind.Lbfgs));
    }

    // H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / (y.s): Nocedal and Wright (6.17).
    private static double[,] BfgsUpdate(double[,] h, double[] s, double[] y)
    {
        int n = s.Length;
        double rho = 1 / Dot(y, s);
        var left = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                left[i, j] = (i == j ? 1 : 0) - rho * s[i] * y[j];
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < n; b++)
                        sum += left[i, a] * h[a, b] * left[j, b];
                result[i, j] = sum + rho * s[i] * s[j];
            }
        return result;
    }

    private static double[] Minus(double[] a, double[] b) => a.Select((v, i) => v - b[i]).ToArray();

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();
}
