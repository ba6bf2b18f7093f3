using System.Runtime.InteropServices;
using Backprop.Kernels;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// Each fast kernel against its plain scalar reference, across vector widths and tails.
public class KernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        for (int s = 1; s <= 70; s++)
        {
            data.Add(s, 3, 5);
            data.Add(2, s, 7);
            data.Add(3, 9, s);
        }
        data.Add(256, 10, 128);
        data.Add(64, 128, 128);
        data.Add(600, 600, 3); // large enough to run on two threads
        data.Add(130, 300, 90); // several depth blocks, panels and edges, on two threads
        data.Add(40, 33, 300); // long strides: the weight gradient packs d^T
        data.Add(20, 1100, 260); // packed Q past a megabyte (forward, input gradient): its slices are prefetched
        data.Add(4, 300, 3); // one tile of rows: Q read in place however far apart its rows are
        data.Add(1, 1100, 1);
        data.Add(50, 3, 70); // fewer inputs than a vector's lanes: the weight gradient is computed turned
        data.Add(1000, 4, 300); // the same, long enough to run on two threads
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_matches_the_reference(int n, int din, int dout)
    {
        var rng = new Rng((ulong)(n * 10007 + din * 101 + dout));
        var x = Random(rng, n * din);
        var w = Random(rng, dout * din);
        var b = Random(rng, dout);
        var d = Random(rng, n * dout);
        var dwStart = Random(rng, dout * din); // stale gradients: must be overwritten, not added to
        var dbStart = Random(rng, dout);
        var zRef = new double[n * dout];
        GemmReference.Forward(zRef, x, w, b, n, din, dout);
        var dwRef = dwStart.ToArray();
        var dbRef = dbStart.ToArray();
        GemmReference.WeightGradient(dwRef, dbRef, d, x, n, din, dout);
        var dxRef = new double[n * din];
        GemmReference.InputGradient(dxRef, d, w, n, din, dout);
        double[]? zFirst = null, dwFirst = null, dxFirst = null;
        foreach (int bits in VectorWidths)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var z = Random(rng, n * dout); // stale contents must not leak into the result
                Gemm.Forward<double>(z, x, w, b, n, din, dout, threads, bits);
                AssertClose(zRef, z);

                var dw = dwStart.ToArray();
                var db = dbStart.ToArray();
                Gemm.WeightGradient<double>(dw, db, d, x, n, din, dout, threads, bits);
                AssertClose(dwRef, dw);
                AssertClose(dbRef, db);

                var dx = Random(rng, n * din);
                Gemm.InputGradient<double>(dx, d, w, n, din, dout, threads, bits);
                AssertClose(dxRef, dx);

                // Each element is one fused multiply-add chain in a fixed order: no width or thread
                // count may change a bit.
                zFirst ??= z;
                dwFirst ??= dw;
                dxFirst ??= dx;
                Assert.Equal(zFirst, z);
                Assert.Equal(dwFirst, dw);
                Assert.Equal(dxFirst, dx);
            }
        }
    }

    [Fact]
    public unsafe void A_caller_that_finds_the_partner_busy_runs_both_halves_itself_with_the_same_bits()
    {
        // Inside a job that holds the partner thread, a two-thread product cannot have it: its
        // caller runs both halves one after the other, so its first half must pack the half of Q
        // that the second half would have packed, instead of waiting for it.
        var shapes = new[] { (130, 300, 90), (600, 600, 70), (40, 33, 300) };
        var expected = shapes.Select(shape => Products(shape, threads: 1)).ToArray();
        var actual = new double[shapes.Length][][];
        Action whilePartnerIsHeld = () =>
        {
            for (int i = 0; i < shapes.Length; i++)
                actual[i] = Products(shapes[i], threads: 2);
        };
        var handle = GCHandle.Alloc(whilePartnerIsHeld);
        try
        {
            PartnerThread.Run(&RunInFirstHalf, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        for (int i = 0; i < shapes.Length; i++)
        {
            for (int k = 0; k < expected[i].Length; k++)
                Assert.Equal(expected[i][k], actual[i][k]);
        }
    }

    private static unsafe void RunInFirstHalf(void* state, int half)
    {
        if (half == 0)
            ((Action)GCHandle.FromIntPtr((nint)state).Target!)();
    }

    // z, dw and dx of one layer of the given shape, from fixed operands.
    private static double[][] Products((int N, int Din, int Dout) shape, int threads)
    {
        var (n, din, dout) = shape;
        var rng = new Rng((ulong)(n + din * 7 + dout * 13));
        var x = Random(rng, n * din);
        var w = Random(rng, dout * din);
        var b = Random(rng, dout);
        var d = Random(rng, n * dout);
        var z = new double[n * dout];
        var dw = new double[dout * din];
        var db = new double[dout];
        var dx = new double[n * din];
        Gemm.Forward<double>(z, x, w, b, n, din, dout, threads);
        Gemm.WeightGradient<double>(dw, db, d, x, n, din, dout, threads);
        Gemm.InputGradient<double>(dx, d, w, n, din, dout, threads);
        return [z, dw, db, dx];
    }

    [Theory]
    [InlineData(Backprop.Activations.Activation.Relu, 1)]
    [InlineData(Backprop.Activations.Activation.Relu, 2)]
    [InlineData(Backprop.Activations.Activation.Tanh, 2)]
    [InlineData(Backprop.Activations.Activation.Sigmoid, 2)]
    public void The_forward_epilogue_applies_the_activation_to_every_block(Backprop.Activations.Activation activation, int threads)
    {
        foreach (var (n, din, dout) in new[] { (1, 3, 1), (7, 9, 17), (130, 300, 90), (600, 600, 70) })
        {
            var rng = new Rng((ulong)(n + din + dout));
            var x = Random(rng, n * din);
            var w = Random(rng, dout * din);
            var b = Random(rng, dout);
            var z = new double[n * dout];
            var a = new double[n * dout];
            Gemm.Forward<double>(z, x, w, b, n, din, dout, threads, activation: activation, a: a);
            var expected = new double[n * dout];
            Backprop.Activations.ActivationFunctions.Forward<double>(activation, expected, z);
            Assert.Equal(expected, a);

            // In place, as a pass runs activations whose derivative needs only a (the relu then
            // rectifies the accumulators as they are stored).
            var inPlace = Random(rng, n * dout);
            Gemm.Forward<double>(inPlace, x, w, b, n, din, dout, threads, activation: activation, a: inPlace);
            Assert.Equal(expected, inPlace);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_input_gradient_applies_a_relu_gate_below_to_every_block(int threads)
    {
        foreach (var (n, din, dout) in new[] { (1, 3, 1), (7, 17, 9), (130, 90, 300), (600, 70, 600) })
        {
            var rng = new Rng((ulong)(n * 3 + din + dout));
            var d = Random(rng, n * dout);
            var w = Random(rng, dout * din);
            var gate = Random(rng, n * din); // about half positive
            foreach (int bits in VectorWidths)
            {
                var expected = new double[n * din];
                Gemm.InputGradient<double>(expected, d, w, n, din, dout, threads, bits);
                Backprop.Activations.ActivationFunctions.Backward<double>(Backprop.Activations.Activation.Relu, expected, gate, gate);
                var dx = Random(rng, n * din);
                Gemm.InputGradient<double>(dx, d, w, n, din, dout, threads, bits, reluGate: gate);
                Assert.Equal(expected, dx);
                Assert.Contains(0.0, dx);
            }
        }
    }

    private static readonly int[] VectorWidths = [128, 256, 512];

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Float_gemm_is_bit_identical_to_a_scalar_fused_multiply_add_chain(int bits) =>
        AssertFloatForwardIsTheChain(37, 300, 70, 2, bits);

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Float_forward_transposes_w_exactly_for_every_size_from_1_to_70(int bits)
    {
        // The float forward pass transposes w into panels through registers, 8 x 8 and 4 x 4 at a
        // time, then element by element for what is left: every remainder of each, in both directions.
        for (int s = 1; s <= 70; s++)
        {
            AssertFloatForwardIsTheChain(3, s, 70, 1, bits);
            AssertFloatForwardIsTheChain(3, 70, s, 1, bits);
            AssertFloatForwardIsTheChain(2, s, s, 1, bits);
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Float_products_with_one_column_are_the_chain_for_every_size_from_1_to_70(int bits)
    {
        // A one-output layer's forward pass, a one-input layer's input gradient and a one-by-one
        // weight gradient have a single column of C: with 256-bit vectors or wider they take the
        // matrix-vector kernel, rows as lanes, which must keep every row's chain and its bits.
        for (int s = 1; s <= 70; s++)
        {
            AssertFloatForwardIsTheChain(s, 70, 1, 1, bits);
            AssertFloatForwardIsTheChain(70, s, 1, 1, bits);
            AssertFloatOneColumnGradientsAreTheChain(s, 37, 1, bits);
            AssertFloatOneColumnGradientsAreTheChain(45, s, 1, bits);
        }
        AssertFloatForwardIsTheChain(600, 300, 1, 2, bits); // long enough to be cut between threads
        AssertFloatOneColumnGradientsAreTheChain(600, 300, 2, bits);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Float_weight_gradients_of_layers_with_few_inputs_are_the_chain(int bits)
    {
        // With fewer inputs than a vector has lanes, dw is computed as dw^T = a^T d and turned into
        // place: every element must still be its chain over the rows, in order, from zero.
        foreach (int n in new[] { 1, 7, 40 })
        {
            for (int din = 1; din <= 17; din++)
            {
                foreach (int dout in new[] { 63, 64, 70, 130 })
                    AssertFloatWeightGradientIsTheChain(n, din, dout, 1, bits);
            }
        }
        AssertFloatWeightGradientIsTheChain(1100, 10, 300, 2, bits); // long enough to be shared by two threads
    }

    private static void AssertFloatWeightGradientIsTheChain(int n, int din, int dout, int threads, int bits)
    {
        var rng = new Rng((ulong)(bits * 17 + n * 7919 + din * 101 + dout));
        var d = Array.ConvertAll(Random(rng, n * dout), v => (float)v);
        var x = Array.ConvertAll(Random(rng, n * din), v => (float)v);
        var dw = Array.ConvertAll(Random(rng, dout * din), v => (float)v); // stale: must be overwritten
        var db = new float[dout];
        Gemm.WeightGradient<float>(dw, db, d, x, n, din, dout, threads, bits);
        for (int j = 0; j < dout; j++)
        {
            for (int k = 0; k < din; k++)
            {
                float sum = 0;
                for (int i = 0; i < n; i++)
                    sum = MathF.FusedMultiplyAdd(d[i * dout + j], x[i * din + k], sum);
                Assert.Equal(sum, dw[j * din + k]);
            }
        }
    }

    private static void AssertFloatOneColumnGradientsAreTheChain(int n, int dout, int threads, int bits)
    {
        var rng = new Rng((ulong)(bits * 31 + n * 1009 + dout));
        var d = Array.ConvertAll(Random(rng, n * dout), v => (float)v);
        var w = Array.ConvertAll(Random(rng, dout), v => (float)v);
        var dx = Array.ConvertAll(Random(rng, n), v => (float)v); // stale: must be overwritten
        Gemm.InputGradient<float>(dx, d, w, n, 1, dout, threads, bits);
        for (int i = 0; i < n; i++)
        {
            float sum = 0;
            for (int j = 0; j < dout; j++)
                sum = MathF.FusedMultiplyAdd(d[i * dout + j], w[j], sum);
            Assert.Equal(sum, dx[i]);
        }
        var x = Array.ConvertAll(Random(rng, n), v => (float)v);
        var column = d.Where((_, k) => k % dout == 0).ToArray(); // a one-output layer's deltas
        var dw = new float[1];
        var db = new float[1];
        Gemm.WeightGradient<float>(dw, db, column, x, n, 1, 1, threads, bits);
        float expected = 0;
        for (int i = 0; i < n; i++)
            expected = MathF.FusedMultiplyAdd(column[i], x[i], expected);
        Assert.Equal(expected, dw[0]);
    }

    // The contract the one-row path and the determinism tests rely on, checked exactly in float:
    // z[i, j] = fma(x[i, din-1], w[j, din-1], ... fma(x[i, 0], w[j, 0], b[j])).
    private static void AssertFloatForwardIsTheChain(int n, int din, int dout, int threads, int bits)
    {
        var rng = new Rng((ulong)(bits * 7919 + din * 101 + dout));
        var x = Array.ConvertAll(Random(rng, n * din), v => (float)v);
        var w = Array.ConvertAll(Random(rng, dout * din), v => (float)v);
        var b = Array.ConvertAll(Random(rng, dout), v => (float)v);
        var z = new float[n * dout];
        Gemm.Forward<float>(z, x, w, b, n, din, dout, threads, bits);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dout; j++)
            {
                float sum = b[j];
                for (int k = 0; k < din; k++)
                    sum = MathF.FusedMultiplyAdd(x[i * din + k], w[j * din + k], sum);
                Assert.Equal(sum, z[i * dout + j]);
            }
        }
    }

    [Theory]
    [InlineData(Backprop.Activations.Activation.Tanh)]
    [InlineData(Backprop.Activations.Activation.Gelu)]
    [InlineData(Backprop.Activations.Activation.Relu)]
    public void The_one_row_path_equals_the_batched_path(Backprop.Activations.Activation activation)
    {
        // One row takes the span-only path; the same row twice takes the batched kernels and has
        // the same mean gradient.
        var network = Backprop.Networks.Network<double>.Create(7, [9, 5], activation, 3);
        network.Initialize(new Rng(4));
        var rng = new Rng(8);
        var x = Random(rng, 7);
        var y = Random(rng, 3);
        var pass = network.CreatePass(2);
        pass.ComputeInputGradients = true;
        var single = pass.Forward(x, 1).ToArray();
        pass.Backward(y, Backprop.Losses.LossFunction.SquaredError);
        var gradient = pass.Gradients.ToArray();
        var inputGradient = pass.InputGradients.ToArray();
        var twice = pass.Forward(x.Concat(x).ToArray(), 2).ToArray();
        pass.Backward(y.Concat(y).ToArray(), Backprop.Losses.LossFunction.SquaredError);
        AssertClose(single, twice[..3]);
        AssertClose(gradient, pass.Gradients);
        AssertClose(inputGradient.Select(v => v / 2).ToArray(), pass.InputGradients[..7].ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_batch_cut_in_halves_has_the_gradient_of_the_whole_batch(int threads)
    {
        // 128 rows through 10-64-64-2 are enough work for the pass to run two half-batches side by
        // side; a pass too small to cut (at most 63 rows) computes each half the plain way.
        var network = Backprop.Networks.Network<double>.Create(10, [64, 64], Backprop.Activations.Activation.Tanh, 2);
        network.Initialize(new Rng(5));
        var rng = new Rng(6);
        var x = Random(rng, 128 * 10);
        var y = Random(rng, 128 * 2);
        var whole = network.CreatePass(128, threads);
        whole.ComputeInputGradients = true;
        var predictions = whole.Forward(x, 128).ToArray();
        double loss = whole.Backward(y, Backprop.Losses.LossFunction.SquaredError);
        Assert.Equal(64, whole.SplitRows);
        var halves = network.CreatePass(63, threads);
        halves.ComputeInputGradients = true;
        var expected = new double[network.Parameters.Length];
        double expectedLoss = 0;
        for (int h = 0; h < 2; h++)
        {
            var rows = x.AsMemory(h * 64 * 10, 64 * 10);
            var first = halves.Forward(rows[..(63 * 10)], 63).ToArray();
            Assert.Equal(0, halves.SplitRows);
            AssertClose(predictions[(h * 64 * 2)..(h * 64 * 2 + 63 * 2)], first);
            // 64 rows do not fit a 63-row pass: 63 rows, then the last one, weighted by row count.
            expectedLoss += 63 * halves.Backward(y.AsSpan(h * 64 * 2, 63 * 2), Backprop.Losses.LossFunction.SquaredError) / 128;
            for (int i = 0; i < expected.Length; i++)
                expected[i] += halves.Gradients[i] * 63 / 128;
            halves.Forward(rows[(63 * 10)..], 1);
            expectedLoss += halves.Backward(y.AsSpan(h * 64 * 2 + 63 * 2, 2), Backprop.Losses.LossFunction.SquaredError) / 128;
            for (int i = 0; i < expected.Length; i++)
                expected[i] += halves.Gradients[i] / 128;
        }
        Assert.Equal(expectedLoss, loss, 1e-12);
        AssertClose(expected, whole.Gradients);
    }

    [Fact]
    public void Float_gemm_matches_the_double_reference_to_float_rounding()
    {
        var rng = new Rng(9);
        const int n = 33, din = 47, dout = 29;
        var x = Random(rng, n * din);
        var w = Random(rng, dout * din);
        var b = Random(rng, dout);
        var z = new float[n * dout];
        Gemm.Forward<float>(z, Array.ConvertAll(x, v => (float)v), Array.ConvertAll(w, v => (float)v), Array.ConvertAll(b, v => (float)v), n, din, dout, 1);
        var zRef = new double[n * dout];
        GemmReference.Forward(zRef, x, w, b, n, din, dout);
        for (int i = 0; i < z.Length; i++)
            Assert.Equal(zRef[i], z[i], 1e-4);
    }

    [Fact]
    public void Vector_ops_match_plain_loops_for_every_length()
    {
        var rng = new Rng(11);
        for (int n = 0; n <= 300; n++)
        {
            var a = Random(rng, n);
            var b = Random(rng, n);
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                sum += a[i];
                squares += a[i] * a[i];
            }
            Assert.Equal(sum, VectorOps.Sum<double>(a), 1e-12);
            Assert.Equal(squares, VectorOps.SumOfSquares<double>(a), 1e-12);
            var single = Array.ConvertAll(a, v => (float)v);
            double singleSquares = single.Sum(v => (double)v * v);
            Assert.Equal(singleSquares, VectorOps.SumOfSquares<float>(single), 1e-12);
            var accumulated = b.ToArray();
            VectorOps.Axpy<double>(accumulated, 1.0, a);
            for (int i = 0; i < n; i++)
                Assert.Equal(b[i] + a[i], accumulated[i]);
            var y = b.ToArray();
            VectorOps.Axpy<double>(y, 0.37, a);
            for (int i = 0; i < n; i++)
                Assert.Equal(b[i] + 0.37 * a[i], y[i], 1e-15);
            VectorOps.Multiply<double>(y, -1.5, a);
            for (int i = 0; i < n; i++)
                Assert.Equal(-1.5 * a[i], y[i]);
        }
    }

    public static TheoryData<int> AdamLengths()
    {
        var data = new TheoryData<int>();
        for (int n = 1; n <= 70; n++)
            data.Add(n);
        data.Add(97);
        data.Add(1001);
        data.Add(4865); // W2's network
        return data;
    }

    [Theory]
    [MemberData(nameof(AdamLengths))]
    public void Adam_update_matches_the_plain_loop_bit_for_bit(int n)
    {
        foreach (bool decay in new[] { false, true })
        {
            var rng = new Rng((ulong)n);
            var p = Array.ConvertAll(Random(rng, n), v => (float)v);
            var m = Array.ConvertAll(Random(rng, n), v => (float)v * 0.1f);
            var v = Array.ConvertAll(Random(rng, n), v => (float)(v * v) * 0.01f);
            var decays = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0f : 1f).ToArray();
            var (pRef, mRef, vRef) = (p.ToArray(), m.ToArray(), v.ToArray());
            for (int step = 0; step < 3; step++)
            {
                var g = Array.ConvertAll(Random(rng, n), x => (float)x);
                // As after step + 1 steps at learning rate 1e-3 (with AdamW's decay 0.01).
                var c = new Backprop.Optimizers.AdamCoefficients<float>(0.9f, 0.999f, 1e-3f * MathF.Sqrt(1 - MathF.Pow(0.999f, step + 1)) / (1 - MathF.Pow(0.9f, step + 1)), 1e-8f * MathF.Sqrt(1 - MathF.Pow(0.999f, step + 1)), decay ? 1e-5f : 0f);
                Backprop.Optimizers.Adam<float>.Update(p, g, m, v, decays, c);
                Backprop.Optimizers.Adam<float>.UpdateReference(pRef, g, mRef, vRef, decays, c);
            }
            Assert.All(p, x => Assert.True(float.IsFinite(x)));
            Assert.Equal(pRef, p);
            Assert.Equal(mRef, m);
            Assert.Equal(vRef, v);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void Optimizer_steps_by_ranges_equal_whole_steps(double momentum)
    {
        // The trainer updates a long buffer in two ranges on two threads; each range must give the
        // bits a whole step gives, for every optimizer that allows it.
        const int n = 1001;
        var rng = new Rng(12);
        var start = Random(rng, n);
        var whole = new Backprop.Optimizers.IOptimizer<double>[] { new Backprop.Optimizers.GradientDescent<double>(n, momentum), new Backprop.Optimizers.Adam<double>(n, weightDecay: momentum / 10) };
        var ranged = new Backprop.Optimizers.IOptimizer<double>[] { new Backprop.Optimizers.GradientDescent<double>(n, momentum), new Backprop.Optimizers.Adam<double>(n, weightDecay: momentum / 10) };
        for (int k = 0; k < whole.Length; k++)
        {
            var a = start.ToArray();
            var b = start.ToArray();
            for (int step = 0; step < 3; step++)
            {
                var g = Random(rng, n);
                whole[k].Step(a, g, 0.01);
                var r = (Backprop.Optimizers.IRangeOptimizer<double>)ranged[k];
                r.BeginStep(0.01);
                r.UpdateRange(b, g, 400, n - 400);
                r.UpdateRange(b, g, 0, 400);
            }
            Assert.Equal(a, b);
            Assert.Equal(whole[k].Steps, ranged[k].Steps);
        }
    }

    [Fact]
    public void Adamw_decays_weights_only()
    {
        // Two parameters, zero gradient: the masked one moves only by decay, the other not at all.
        var optimizer = new Backprop.Optimizers.Adam<double>(2, weightDecay: 0.5, decayMask: [true, false]);
        double[] p = [2.0, 2.0];
        optimizer.Step(p, [0.0, 0.0], 0.1);
        Assert.Equal(2.0 - 0.05 * 2.0, p[0]);
        Assert.Equal(2.0, p[1]);
    }

    [Fact]
    public void Adam_steps_are_the_textbook_update_with_bias_corrected_moments()
    {
        // The update folds both corrections into its step size and epsilon; written out, it must
        // still be p - eta m_hat / (sqrt(v_hat) + eps) at every step, including the first few,
        // where the corrections are largest, and with an epsilon large enough to matter.
        const int n = 19; // two vectors and a tail
        const double eta = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-3;
        var rng = new Rng(12);
        var optimizer = new Backprop.Optimizers.Adam<double>(n, beta1, beta2, eps);
        var p = Random(rng, n);
        var expected = p.ToArray();
        var m = new double[n];
        var v = new double[n];
        for (int t = 1; t <= 5; t++)
        {
            var g = Random(rng, n).Select(x => x * t).ToArray();
            optimizer.Step(p, g, eta);
            for (int i = 0; i < n; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(beta1, t)), vHat = v[i] / (1 - Math.Pow(beta2, t));
                expected[i] -= eta * mHat / (Math.Sqrt(vHat) + eps);
            }
            AssertClose(expected, p);
        }
    }

    internal static double[] Random(Rng rng, int count) => Enumerable.Range(0, count).Select(_ => rng.NextDouble(-1, 1)).ToArray();

    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"index {i}: expected {expected[i]}, got {actual[i]}");
    }
}
