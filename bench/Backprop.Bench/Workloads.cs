using System.Diagnostics;
using Backprop.Activations;
using Backprop.Data.Csv;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Preprocessing;
using Backprop.Regression;
using Backprop.Training;

namespace Backprop.Bench;

/// <summary>
/// The four workloads of ../shared/bench/WORKLOADS.md, through the public low-level API
/// (Network + Trainer with explicit TrainingOptions: no validation split, no early stopping, no
/// scaling beyond what the workload defines). "seconds" is a Stopwatch around Trainer.Fit only.
/// </summary>
/// <remarks>
/// Like the TorchSharp peer, each workload first trains a throw-away network of the same shape for
/// a few steps so that JIT compilation is not timed.
/// </remarks>
internal static class Workloads<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal const double W4FlopPerSample = 6.0 * (512 * 1024 + 1024 * 1024 + 1024);

    public static string Run(string workload, int threads, string dataDir) => workload switch
    {
        "W1" => W1(threads, dataDir),
        "W2" => W2(threads, dataDir),
        "W3" => W3(threads, dataDir),
        _ => W4(threads),
    };

    private static JsonLine Start(string workload, int threads, double seconds, double rate, string unit, string metric, double value) =>
        new JsonLine()
            .Add("peer", "backprop")
            .Add("workload", workload)
            .Add("threads", threads)
            .Add("seconds", seconds)
            .Add("rate", rate)
            .Add("rate_unit", unit)
            .Add("metric", metric)
            .Add("value", value)
            .Add("precision", typeof(T) == typeof(float) ? "float" : "double");

    private static double PeakMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return Math.Round(self.PeakWorkingSet64 / (double)(1 << 20), 1);
    }

    private static double Time(Trainer<T> trainer, TrainingData<T> data)
    {
        var clock = Stopwatch.StartNew();
        trainer.Fit(data);
        return clock.Elapsed.TotalSeconds;
    }

    // ---------- W1: 1 -> 1 sigmoid -> 1, fixed start, online gradient descent ----------
    private static string W1(int threads, string dataDir)
    {
        const int Epochs = 200;
        var (x, y, rows) = NumericCsv.ReadMatrix<T>(Path.Combine(dataDir, "seed_curve.csv"), ["y"]);
        var data = new TrainingData<T>(x, y, 1, 1);
        var options = new TrainingOptions
        {
            Epochs = Epochs,
            BatchSize = 1,
            Shuffle = false,
            Optimizer = OptimizerKind.GradientDescent,
            LearningRate = 0.05,
            EarlyStopping = false,
            Threads = threads,
        };
        Network<T> Seed()
        {
            var net = Network<T>.Create(1, [1], Activation.Sigmoid, 1);
            T half = T.CreateTruncating(0.5);
            net.Parameters[0] = half;    // w1
            net.Parameters[1] = T.Zero;  // b1
            net.Parameters[2] = half;    // w2
            net.Parameters[3] = T.Zero;  // b2
            return net;
        }
        new Trainer<T>(Seed(), options with { Epochs = 2 }).Fit(data);  // warm-up
        var network = Seed();
        double seconds = Time(new Trainer<T>(network, options), data);

        var predictions = new T[rows];
        network.Predict(predictions, x, rows);
        double sse = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = double.CreateTruncating(y[i]) - double.CreateTruncating(predictions[i]);
            sse += r * r;
        }
        var p = network.Parameters;
        return Start("W1", threads, seconds, Epochs * rows / seconds, "updates/s", "train_mse", sse / rows)
            .Add("epochs", Epochs)
            .Add("weights_w1_b1_w2_b2", p.Select(v => double.CreateTruncating(v)))
            .Add("peak_mb", PeakMegabytes())
            .ToString();
    }

    // ---------- W2 / W3: standardized tables ----------
    private sealed record Split(T[] XTrain, T[] YTrain, int Train, double[] XTest, double[] YTest, int Test, int Features, double YMean, double YScale);

    private static Split Load(string path, string target, Func<int, bool> isTest)
    {
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(path, [target]);
        int features = x.Length / rows;
        int test = 0;
        for (int i = 0; i < rows; i++)
            test += isTest(i) ? 1 : 0;
        int train = rows - test;
        var xTrain = new double[train * features];
        var yTrain = new double[train];
        var xTest = new double[test * features];
        var yTest = new double[test];
        for (int i = 0, a = 0, b = 0; i < rows; i++)
        {
            if (isTest(i))
            {
                x.AsSpan(i * features, features).CopyTo(xTest.AsSpan(b * features));
                yTest[b++] = y[i];
            }
            else
            {
                x.AsSpan(i * features, features).CopyTo(xTrain.AsSpan(a * features));
                yTrain[a++] = y[i];
            }
        }
        var sx = Standardizer.Fit(xTrain, features);
        var sy = Standardizer.Fit(yTrain, 1);
        for (int i = 0; i < train; i++)
            sx.Transform(xTrain.AsSpan(i * features, features));
        for (int i = 0; i < test; i++)
            sx.Transform(xTest.AsSpan(i * features, features));
        for (int i = 0; i < train; i++)
            sy.Transform(yTrain.AsSpan(i, 1));
        return new Split(Convert(xTrain), Convert(yTrain), train, xTest, yTest, test, features, sy.Mean[0], sy.Scale[0]);
    }

    private static T[] Convert(double[] values) => values.Select(T.CreateTruncating).ToArray();

    // Test R^2 in the target's original units.
    private static double TestR2(Network<T> network, Split s)
    {
        var predictions = new T[s.Test];
        network.Predict(predictions, Convert(s.XTest), s.Test);
        var original = predictions.Select(p => double.CreateTruncating(p) * s.YScale + s.YMean).ToArray();
        return RegressionScores.Compute(original, s.YTest, 1).R2;
    }

    private static TrainingOptions AdamOptions(int epochs, int batch, ulong seed, int threads) => new()
    {
        Epochs = epochs,
        BatchSize = batch,
        Shuffle = true,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        Beta1 = 0.9,
        Beta2 = 0.999,
        Epsilon = 1e-8,
        L2 = 0,
        EarlyStopping = false,
        Seed = seed,
        Threads = threads,
    };

    private static void WarmUp(Network<T> shape, TrainingData<T> data, TrainingOptions options, int rows)
    {
        int n = Math.Min(data.Rows, rows);
        var part = new TrainingData<T>(data.Inputs[..(n * data.Features)], data.Targets[..(n * data.Outputs)], data.Features, data.Outputs);
        var net = shape.Clone();
        net.Initialize(new Rng(7));
        new Trainer<T>(net, options with { Epochs = 1 }).Fit(part);
    }

    private static string W2(int threads, string dataDir)
    {
        const int Epochs = 300, Batch = 32;
        var s = Load(Path.Combine(dataDir, "diabetes.csv"), "target", i => i % 5 == 0);
        var data = new TrainingData<T>(s.XTrain, s.YTrain, s.Features, 1);
        Network<T> Build() => Network<T>.Create(s.Features, [64, 64], Activation.Tanh, 1);
        WarmUp(Build(), data, AdamOptions(Epochs, Batch, 0, threads), 4 * Batch);
        ulong[] seeds = [1, 2, 3, 4, 5];
        var times = new double[seeds.Length];
        var r2s = new double[seeds.Length];
        for (int k = 0; k < seeds.Length; k++)
        {
            var network = Build();
            network.Initialize(new Rng(seeds[k]), InitScheme.GlorotUniform);
            times[k] = Time(new Trainer<T>(network, AdamOptions(Epochs, Batch, seeds[k], threads)), data);
            r2s[k] = TestR2(network, s);
        }
        double seconds = times.Average();
        double median = r2s.Order().ElementAt(r2s.Length / 2);
        return Start("W2", threads, seconds, (double)s.Train * Epochs / seconds, "samples/s", "test_r2", median)
            .Add("epochs", Epochs)
            .Add("seeds", seeds.Select(v => (double)v))
            .Add("r2_per_seed", r2s)
            .Add("seconds_per_seed", times)
            .Add("peak_mb", PeakMegabytes())
            .ToString();
    }

    private static string W3(int threads, string dataDir)
    {
        const int Epochs = 10, Batch = 256;
        var s = Load(Path.Combine(dataDir, "friedman1_100k.csv"), "y", i => i >= 80_000);
        var data = new TrainingData<T>(s.XTrain, s.YTrain, s.Features, 1);
        Network<T> Build() => Network<T>.Create(s.Features, [128, 128], Activation.Relu, 1);
        WarmUp(Build(), data, AdamOptions(Epochs, Batch, 0, threads), 4 * Batch);
        var network = Build();
        network.Initialize(new Rng(1), InitScheme.HeUniform);
        double seconds = Time(new Trainer<T>(network, AdamOptions(Epochs, Batch, 1, threads)), data);
        double r2 = TestR2(network, s);
        return Start("W3", threads, seconds, (double)s.Train * Epochs / seconds, "samples/s", "test_r2", r2)
            .Add("epochs", Epochs)
            .Add("peak_mb", PeakMegabytes())
            .ToString();
    }

    // ---------- W4: compute bound ----------
    private static string W4(int threads)
    {
        const int Rows = 32_768, Features = 512, Epochs = 2, Batch = 512;
        var rng = new Rng(4);
        var x = new T[Rows * Features];
        var y = new T[Rows];
        for (int i = 0; i < x.Length; i++)
            x[i] = T.CreateTruncating(rng.NextDouble(-1, 1));
        for (int i = 0; i < y.Length; i++)
            y[i] = T.CreateTruncating(rng.NextDouble(-1, 1));
        var data = new TrainingData<T>(x, y, Features, 1);
        var options = new TrainingOptions
        {
            Epochs = Epochs,
            BatchSize = Batch,
            Shuffle = false,
            Optimizer = OptimizerKind.GradientDescent,
            LearningRate = 1e-3,
            EarlyStopping = false,
            Threads = threads,
        };
        Network<T> Build() => Network<T>.Create(Features, [1024, 1024], Activation.Relu, 1);
        WarmUp(Build(), data, options, 4 * Batch);
        var network = Build();
        network.Initialize(new Rng(4), InitScheme.HeUniform);
        var trainer = new Trainer<T>(network, options);
        double seconds = Time(trainer, data);
        double samples = (double)Rows * Epochs;
        return Start("W4", threads, seconds, samples / seconds, "samples/s", "last_epoch_mean_loss_half_mse", trainer.History.Last!.TrainLoss)
            .Add("epochs", Epochs)
            .Add("gflops", W4FlopPerSample * samples / seconds / 1e9)
            .Add("peak_mb", PeakMegabytes())
            .ToString();
    }
}
