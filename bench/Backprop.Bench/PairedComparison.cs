using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Backprop.Activations;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Training;

namespace Backprop.Bench;

/// <summary>
/// Compares two builds of the library on the training steps of one workload's shapes, inside one
/// process: each build is loaded into its own context and they train in turn, an epoch each, so
/// that the machine's drift (on a shared machine whole runs move by a third within minutes) falls
/// on both alike. What it reports is the median of the pairs' ratios, B over A, and its quartiles.
/// </summary>
/// <remarks>
/// The data are random, in the shapes of W2, W3 or W4 (the values do not change the work), and
/// each epoch is a slice of the workload's: W2 3,530 rows, W3 20,000, W4 2,048.
/// </remarks>
internal static class PairedComparison
{
    public static string Run(string buildA, string buildB, string workload, int threads, int rounds)
    {
        var a = Load(buildA, workload, threads);
        var b = Load(buildB, workload, threads);
        for (int i = 0; i < 5; i++) // JIT and caches
        {
            a();
            b();
        }
        var rateA = new double[rounds];
        var rateB = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            // Alternate who goes first; a pause between lets the other build's partner thread stop spinning.
            if (i % 2 == 0)
                (rateA[i], rateB[i]) = (Pause(a), Pause(b));
            else
                (rateB[i], rateA[i]) = (Pause(b), Pause(a));
        }
        var ratios = rateB.Zip(rateA, (y, x) => y / x).Order().ToArray();
        return new JsonLine()
            .Add("paired", workload)
            .Add("threads", threads)
            .Add("rounds", rounds)
            .Add("rate_unit", workload == "W4" ? "GFLOP/s" : "samples/s")
            .Add("a_median", Median(rateA))
            .Add("b_median", Median(rateB))
            .Add("b_over_a_median", ratios[rounds / 2])
            .Add("b_over_a_quartiles", [ratios[rounds / 4], ratios[3 * rounds / 4]])
            .ToString();
    }

    private static double Pause(Func<double> epoch)
    {
        double rate = epoch();
        Thread.Sleep(5);
        return rate;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    // This runner's own assembly, loaded again into a context where "Backprop" is the build in
    // folder; returns that copy's epoch.
    private static Func<double> Load(string folder, string workload, int threads)
    {
        var path = Path.GetFullPath(Path.Combine(folder, "Backprop.dll"));
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no build of the library there; give a folder holding a Backprop.dll (e.g. a copy of bin/Release/net10.0).");
        var context = new BuildContext(path);
        var runner = context.LoadFromAssemblyPath(typeof(PairedComparison).Assembly.Location);
        var create = runner.GetType(typeof(PairedComparison).FullName!)!.GetMethod(nameof(Epochs), BindingFlags.NonPublic | BindingFlags.Static)!;
        return (Func<double>)create.Invoke(null, [workload, threads])!;
    }

    // Called through reflection inside a build's context: one epoch of training per call, returning its rate.
    private static Func<double> Epochs(string workload, int threads)
    {
        var rng = new Rng(3);
        var (rows, features, batch, hidden, activation, optimizer) = workload switch
        {
            "W2" => (3530, 10, 32, 64, Activation.Tanh, OptimizerKind.Adam),
            "W3" => (20_000, 10, 256, 128, Activation.Relu, OptimizerKind.Adam),
            _ => (2048, 512, 512, 1024, Activation.Relu, OptimizerKind.GradientDescent),
        };
        var x = new float[rows * features];
        var y = new float[rows];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)rng.NextDouble(-1, 1);
        for (int i = 0; i < y.Length; i++)
            y[i] = (float)rng.NextDouble(-1, 1);
        var data = new TrainingData<float>(x, y, features, 1);
        var network = Network<float>.Create(features, [hidden, hidden], activation, 1);
        network.Initialize(new Rng(1));
        var trainer = new Trainer<float>(network, new TrainingOptions
        {
            Epochs = 1,
            BatchSize = batch,
            Shuffle = workload != "W4",
            Optimizer = optimizer,
            LearningRate = 1e-3,
            EarlyStopping = false,
            Threads = threads,
        });
        double unit = workload == "W4" ? Workloads<float>.W4FlopPerSample * rows / 1e9 : rows;
        return () =>
        {
            var clock = Stopwatch.StartNew();
            trainer.Fit(data);
            return unit / clock.Elapsed.TotalSeconds;
        };
    }

    // Resolves the library to one build; everything else comes from the default context.
    private sealed class BuildContext : AssemblyLoadContext
    {
        private readonly string _library;

        public BuildContext(string library)
            : base(library) => _library = library;

        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Backprop" ? LoadFromAssemblyPath(_library) : null;
    }
}
