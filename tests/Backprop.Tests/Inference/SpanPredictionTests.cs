using Backprop.Activations;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Regression;
using Backprop.Tests.Engine;

namespace Backprop.Tests.Inference;

// The allocation-free span overloads: the bits of the path every prediction took before the
// network was laid out for inference, no bytes per call, many callers at once, and ensembles.
public class SpanPredictionTests
{
    private const int Features = 10;

    public static TheoryData<Precision, Activation, int> Models() => new()
    {
        { Precision.Single, Activation.Tanh, 1 },
        { Precision.Single, Activation.Relu, 2 },
        { Precision.Double, Activation.Tanh, 1 },
        { Precision.Single, Activation.Sigmoid, 3 },
        { Precision.Double, Activation.Gelu, 1 },
        { Precision.Single, Activation.LeakyRelu, 1 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_overload_has_the_bits_of_the_network_path(Precision precision, Activation activation, int targets)
    {
        var model = Fitted(precision, activation, targets, seed: 1);
        foreach (int rows in new[] { 1, 2, 5, 33, 257, 1500 }) // one row, small batches, chunks, both threads
        {
            var x = Inputs(rows, seed: (ulong)rows);
            var expected = NetworkPath(model, x, rows);
            Assert.Equal(expected, model.Predict(x, rows));
            var batch = new double[rows * targets];
            model.PredictBatch(x, batch);
            Assert.Equal(expected, batch);
            model.PredictBatch(x.Select(v => (float)v).ToArray(), batch);
            Assert.Equal(NetworkPath(model, x.Select(v => (double)(float)v).ToArray(), rows), batch);
            var row = new double[targets];
            for (int i = 0; i < Math.Min(rows, 40); i++)
            {
                model.Predict(x.AsSpan(i * Features, Features), row);
                Assert.Equal(expected.AsSpan(i * targets, targets).ToArray(), row);
            }
        }
    }

    [Fact]
    public void The_span_overloads_allocate_nothing_per_call()
    {
        var model = Fitted(Precision.Single, Activation.Tanh, 1, seed: 2);
        var ensemble = new EnsemblePredictor([model, Fitted(Precision.Double, Activation.Relu, 1, seed: 3)]);
        var x = Inputs(2000, seed: 4);
        var xf = x.Select(v => (float)v).ToArray();
        var y = new double[2000];
        void Calls()
        {
            model.Predict(x.AsSpan(0, Features), y);
            model.Predict(xf.AsSpan(0, Features), y);
            model.PredictBatch(x.AsSpan(0, 32 * Features), y);
            model.PredictBatch(xf, y); // large: shared with the partner thread
            ensemble.Predict(x.AsSpan(0, Features), y);
            ensemble.PredictBatch(x, y);
        }
        for (int i = 0; i < 30; i++)
            Calls(); // JIT, each thread's buffers, the laid-out networks
        // A tier-up landing inside a window bills the runtime's bytes to this thread: one clean
        // window of several is required, while an allocation in the calls dirties them all.
        var windows = new List<long>();
        for (int w = 0; w < 4 && (windows.Count == 0 || windows[^1] != 0); w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
                Calls();
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(windows[^1] == 0, $"bytes allocated per 20 rounds of calls: {string.Join(", ", windows)}");
    }

    [Fact]
    public void Concurrent_callers_get_the_serial_bits()
    {
        var model = Fitted(Precision.Single, Activation.Tanh, 2, seed: 5);
        var ensemble = new EnsemblePredictor([model, Fitted(Precision.Single, Activation.Tanh, 2, seed: 6)]);
        var batches = Enumerable.Range(0, 12).Select(b => Inputs(b % 3 == 0 ? 700 : 1 + b, seed: (ulong)(10 + b))).ToArray();
        Action<double[], double[]> single = (x, y) => model.PredictBatch(x, y), mean = (x, y) => ensemble.PredictBatch(x, y);
        var serial = batches.Select(x => Run(single, x)).ToArray();
        var serialEnsemble = batches.Select(x => Run(mean, x)).ToArray();
        int mismatches = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int call = 0; call < 60; call++)
            {
                int b = (t * 5 + call) % batches.Length;
                bool same = call % 2 == 0
                    ? Run(single, batches[b]).SequenceEqual(serial[b])
                    : Run(mean, batches[b]).SequenceEqual(serialEnsemble[b]);
                if (!same)
                    Interlocked.Increment(ref mismatches);
            }
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();
        Assert.Equal(0, mismatches);

        static double[] Run(Action<double[], double[]> predict, double[] x)
        {
            var y = new double[x.Length / Features * 2];
            predict(x, y);
            return y;
        }
    }

    [Fact]
    public void An_ensemble_is_the_members_mean_summed_in_order()
    {
        var members = new[]
        {
            Fitted(Precision.Single, Activation.Tanh, 2, seed: 7),
            Fitted(Precision.Double, Activation.Tanh, 2, seed: 8),
            Fitted(Precision.Single, Activation.Relu, 2, seed: 9),
        };
        var ensemble = new EnsemblePredictor(members);
        Assert.Equal(3, ensemble.MemberCount);
        Assert.Equal((Features, 2), (ensemble.FeatureCount, ensemble.TargetCount));
        foreach (int rows in new[] { 1, 40, 900 })
        {
            var x = Inputs(rows, seed: (ulong)(20 + rows));
            var each = members.Select(m => m.Predict(x, rows)).ToArray();
            var expected = new double[rows * 2];
            for (int i = 0; i < expected.Length; i++)
                expected[i] = (each[0][i] + each[1][i] + each[2][i]) / 3;
            var y = new double[rows * 2];
            ensemble.PredictBatch(x, y);
            Assert.Equal(expected, y);
            ensemble.Predict(x.AsSpan(0, Features), y);
            Assert.Equal(expected[..2], y[..2]);
        }
        var single = new EnsemblePredictor([members[0]]);
        var one = Inputs(50, seed: 30);
        var alone = new double[100];
        single.PredictBatch(one, alone);
        Assert.Equal(members[0].Predict(one, 50), alone);
    }

    [Fact]
    public void Wrong_shapes_and_values_are_refused_with_the_reason()
    {
        var model = Fitted(Precision.Single, Activation.Tanh, 1, seed: 11);
        var row = new double[Features];
        var output = new double[1];
        Assert.Contains("10 features", Assert.Throws<ArgumentException>(() => model.Predict(new double[Features + 1], output)).Message);
        Assert.Contains("need 1", Assert.Throws<ArgumentException>(() => model.Predict(row, Span<double>.Empty)).Message);
        Assert.Contains("whole number of rows", Assert.Throws<ArgumentException>(() => model.PredictBatch(new double[25], new double[3])).Message);
        Assert.Contains("need 3", Assert.Throws<ArgumentException>(() => model.PredictBatch(new double[30], new double[2])).Message);
        row[4] = double.NaN;
        Assert.Contains("column 4 is NaN", Assert.Throws<ArgumentException>(() => model.Predict(row, output)).Message);
        var floats = new float[3 * Features];
        floats[2 * Features + 1] = float.PositiveInfinity;
        Assert.Contains("row 2, column 1", Assert.Throws<ArgumentException>(() => model.PredictBatch(floats, new double[3])).Message);
        Assert.Throws<InvalidOperationException>(() => new MlpRegressor().Predict(row, output));
        model.PredictBatch(ReadOnlySpan<double>.Empty, Span<double>.Empty); // no rows: nothing to do

        Assert.Throws<ArgumentException>(() => new EnsemblePredictor([]));
        Assert.Contains("not fitted", Assert.Throws<ArgumentException>(() => new EnsemblePredictor([model, new MlpRegressor()])).Message);
        var wider = Fitted(Precision.Single, Activation.Tanh, 2, seed: 12);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => new EnsemblePredictor([model, wider])).Message);
    }

    [Fact]
    public void A_refit_model_predicts_with_its_new_weights()
    {
        var options = new RegressorOptions { HiddenLayers = [16], Epochs = 2, Seed = 13, WarmStart = true };
        var model = new MlpRegressor(options);
        var data = Datasets.Friedman1(200, 14);
        model.Fit(data);
        var x = Inputs(3, seed: 15);
        var before = new double[3];
        model.PredictBatch(x, before);
        ContinueFitPredictingEachEpoch(model, data, x);
        var after = new double[3];
        model.PredictBatch(x, after);
        Assert.Equal(NetworkPath(model, x, 3), after);
        Assert.NotEqual(before, after);
    }

    // Continues the fit with a progress callback that predicts mid-fit, as a caller might.
    private static void ContinueFitPredictingEachEpoch(MlpRegressor model, DataSet data, double[] x)
    {
        var seen = new double[3];
        model.Fit(data, progress: new SynchronousProgress(_ => model.PredictBatch(x, seen)));
        Assert.All(seen, v => Assert.True(double.IsFinite(v)));
    }

    private sealed class SynchronousProgress(Action<Backprop.Training.EpochRecord> report) : IProgress<Backprop.Training.EpochRecord>
    {
        public void Report(Backprop.Training.EpochRecord value) => report(value);
    }

    internal static MlpRegressor Fitted(Precision precision, Activation activation, int targets, ulong seed)
    {
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [24, 20], Activation = activation, Precision = precision, Epochs = 3, Seed = seed });
        var data = Datasets.Friedman1(300, seed);
        var y = new double[data.Rows * targets];
        for (int i = 0; i < data.Rows; i++)
        {
            for (int t = 0; t < targets; t++)
                y[i * targets + t] = data.Targets[i] * (t + 1) + 100 * t; // scaled apart, so the un-scaling is seen
        }
        model.Fit(data with { Targets = y, Outputs = targets });
        return model;
    }

    private static double[] Inputs(int rows, ulong seed)
    {
        var rng = new Backprop.Numerics.Rng(seed);
        return Enumerable.Range(0, rows * Features).Select(_ => rng.NextDouble(-0.5, 1.5)).ToArray();
    }

    // What MlpRegressor.Predict computed before inference had its own layout: the inputs scaled in
    // double, the network's batched forward pass in its precision, the outputs un-scaled in double.
    private static double[] NetworkPath(MlpRegressor model, double[] inputs, int rows)
    {
        var x = inputs.ToArray();
        for (int i = 0; i < rows; i++)
            model.InputScaler?.Transform(x.AsSpan(i * Features, Features));
        var y = model.Options.Precision == Precision.Single ? Run<float>(model, x, rows) : Run<double>(model, x, rows);
        for (int i = 0; i < rows; i++)
            model.TargetScaler?.InverseTransform(y.AsSpan(i * model.TargetCount, model.TargetCount));
        return y;

        static double[] Run<T>(MlpRegressor model, double[] x, int rows) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var network = new Network<T>(model.FeatureCount, model.Layers.Select(l => new LayerSpec(l.Units, l.Activation)).ToArray());
            var parameters = model.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
                network.Parameters[i] = T.CreateTruncating(parameters[i]);
            var y = new T[rows * model.TargetCount];
            network.Predict(y, x.Select(T.CreateTruncating).ToArray(), rows);
            return y.Select(double.CreateTruncating).ToArray();
        }
    }
}
