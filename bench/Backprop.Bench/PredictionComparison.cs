using System.Diagnostics;
using System.Globalization;
using Backprop.Numerics;
using Backprop.Onnx;
using Backprop.Regression;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Bench;

/// <summary>
/// Prediction beside ONNX Runtime, in one process on the same exported models: 12-64-64-1, W3's
/// 10-128-128-1 and a five-member ensemble of 12-64-64-1 networks (ONNX Runtime runs the five
/// exported members and the runner averages them). One row: latency percentiles of single calls;
/// batches of 32, 1,000 and 100,000 rows: throughput. Both sides are timed in alternating rounds,
/// so a busy machine slows them alike, and each side's managed bytes allocated per call are counted.
/// Backprop is called through its allocation-free span overloads with the same float inputs ONNX
/// Runtime gets; ONNX Runtime through pre-made input and output values (its cheapest path), with one
/// intra-op thread and with two.
/// </summary>
internal static class PredictionComparison
{
    private static readonly int[] Batches = [1, 32, 1_000, 100_000];

    public static void Run(int rounds, TextWriter report)
    {
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prediction, {Environment.ProcessorCount} cores, ONNX Runtime {OrtEnv.Instance().GetVersionString()}, medians of {rounds} rounds"));
        report.WriteLine("model | rows | Backprop | ORT 1 thread | ORT 2 threads | Backprop / best ORT | bytes per call (Backprop, ORT) | max |difference|");
        string folder = Directory.CreateTempSubdirectory("backprop-predict-").FullName;
        try
        {
            foreach (var (name, hidden, features, members) in new[] { ("12-64-64-1", 64, 12, 1), ("10-128-128-1", 128, 10, 1), ("5 x 12-64-64-1", 64, 12, 5) })
            {
                var models = Enumerable.Range(0, members).Select(m => Fit(features, hidden, (ulong)(m + 1))).ToArray();
                var paths = models.Select((m, i) => Path.Combine(folder, $"{name.Replace(' ', '_')}-{i}.onnx")).ToArray();
                for (int i = 0; i < models.Length; i++)
                    models[i].ExportOnnx(paths[i]);
                var ensemble = new EnsemblePredictor(models);
                foreach (int rows in Batches)
                {
                    report.WriteLine(Compare(name, models.Length == 1 ? Single(models[0]) : Mean(ensemble), paths, features, rows, rounds));
                    report.Flush();
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // A Backprop side: predicts one row (Predict) or a batch (PredictBatch) into the outputs.
    private delegate void Side(float[] inputs, double[] outputs, bool oneRow);

    private static Side Single(MlpRegressor model) => (x, y, oneRow) =>
    {
        if (oneRow)
            model.Predict(x, y);
        else
            model.PredictBatch(x, y);
    };

    private static Side Mean(EnsemblePredictor ensemble) => (x, y, oneRow) =>
    {
        if (oneRow)
            ensemble.Predict(x, y);
        else
            ensemble.PredictBatch(x, y);
    };

    private static MlpRegressor Fit(int features, int hidden, ulong seed)
    {
        // A short fit on Friedman-like data: the weights' values do not change the work.
        var rng = new Rng(seed);
        int rows = 2_000;
        var x = new double[rows * features];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < features; j++)
                x[i * features + j] = rng.NextDouble();
            y[i] = 10 * Math.Sin(Math.PI * x[i * features] * x[i * features + 1]) + 10 * x[i * features + 3];
        }
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [hidden, hidden], Epochs = 3, Seed = seed });
        model.Fit(new DataSet(x, features, y, 1));
        return model;
    }

    private static string Compare(string name, Side predict, string[] paths, int features, int rows, int rounds)
    {
        var rng = new Rng((ulong)rows);
        var input = Enumerable.Range(0, rows * features).Select(_ => (float)rng.NextDouble()).ToArray();
        var ours = new double[rows];
        using var one = new OrtSide(paths, input, rows, features, threads: 1);
        using var two = new OrtSide(paths, input, rows, features, threads: 2);
        Action backprop = () => predict(input, ours, rows == 1);
        // Calls per timed sample: about 200,000 rows' worth for batches; one-row samples are single calls.
        int calls = rows == 1 ? 1 : Math.Max(1, 200_000 / rows);
        int samples = rows == 1 ? 2_000 : 5;
        // Sized up front, so that only the calls allocate inside the counted windows.
        var times = new[] { new List<double>(rounds * samples), new List<double>(rounds * samples), new List<double>(rounds * samples) };
        var bytes = new long[3];
        Action[] sides = [backprop, one.Run, two.Run];
        foreach (var side in sides)
        {
            for (int i = 0; i < 20; i++)
                side(); // JIT, buffers, ONNX Runtime's first-run work
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int s = 0; s < sides.Length; s++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < samples; k++)
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int c = 0; c < calls; c++)
                        sides[s]();
                    times[s].Add(Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
                }
                bytes[s] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        double difference = 0;
        for (int i = 0; i < rows; i++)
            difference = Math.Max(difference, Math.Abs(ours[i] - one.Predictions[i]));
        long callsMade = (long)rounds * samples * calls;
        string Figure(List<double> t) => rows == 1
            ? $"p50 {Percentile(t, 0.5) * 1e6:F2} us, p99 {Percentile(t, 0.99) * 1e6:F2} us"
            : $"{rows / Percentile(t, 0.5) / 1e6:F2} M rows/s ({Percentile(t, 0.5) * 1e6:F1} us)";
        double best = Math.Min(Percentile(times[1], 0.5), Percentile(times[2], 0.5));
        return string.Create(CultureInfo.InvariantCulture,
            $"{name} | {rows:N0} | {Figure(times[0])} | {Figure(times[1])} | {Figure(times[2])} | {best / Percentile(times[0], 0.5):F2}x | {bytes[0] / callsMade}, {bytes[1] / callsMade} | {difference:G3}");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    // ONNX Runtime on every member's exported file, with input and output values made once; the
    // members' outputs are averaged as Backprop's ensemble averages them.
    private sealed class OrtSide : IDisposable
    {
        private readonly InferenceSession[] _sessions;
        private readonly OrtValue _input;
        private readonly OrtValue[] _outputs;
        private readonly float[][] _outputBuffers;
        private readonly RunOptions _runOptions = new();
        private readonly SessionOptions _options;
        private readonly string[] _inputNames = [OnnxExporter.NumericInput];
        private readonly string[] _outputNames = ["predictions"];

        public OrtSide(string[] paths, float[] input, int rows, int features, int threads)
        {
            _options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            _sessions = paths.Select(p => new InferenceSession(p, _options)).ToArray();
            _input = OrtValue.CreateTensorValueFromMemory(input, [rows, features]);
            _outputBuffers = paths.Select(_ => new float[rows]).ToArray();
            _outputs = _outputBuffers.Select(b => OrtValue.CreateTensorValueFromMemory(b, [rows, 1])).ToArray();
            Predictions = new double[rows];
        }

        public double[] Predictions { get; }

        public void Run()
        {
            for (int m = 0; m < _sessions.Length; m++)
                _sessions[m].Run(_runOptions, _inputNames, [_input], _outputNames, [_outputs[m]]);
            var first = _outputBuffers[0];
            for (int i = 0; i < first.Length; i++)
            {
                double sum = 0;
                foreach (var member in _outputBuffers)
                    sum += member[i];
                Predictions[i] = sum / _outputBuffers.Length;
            }
        }

        public void Dispose()
        {
            foreach (var session in _sessions)
                session.Dispose();
            foreach (var output in _outputs)
                output.Dispose();
            _input.Dispose();
            _runOptions.Dispose();
            _options.Dispose();
        }
    }
}
