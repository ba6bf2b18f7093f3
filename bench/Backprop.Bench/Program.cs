using System.Globalization;
using BenchmarkDotNet.Running;

namespace Backprop.Bench;

/// <summary>
/// Entry point. Five modes:
/// <code>
///   --workload W1|W2|W3|W4 [--threads N] [--precision float|double] [--data DIR]
///   --csv [--data DIR] [--repeat N]
///   --micro [BenchmarkDotNet arguments, e.g. --filter * --job short]
///   --paired DIR_A DIR_B --workload W2|W3|W4 [--threads N] [--rounds N]
///   --predict [--rounds N]
///   --predict-file MODEL CSV [--rounds N]
/// </code>
/// The first runs one workload of ../shared/bench/WORKLOADS.md and prints one JSON line;
/// --csv times NumericCsv on friedman1_100k.csv; --micro runs the kernel micro-benchmarks;
/// --paired compares two builds of the library epoch by epoch in one process (PairedComparison);
/// --predict times prediction beside ONNX Runtime and prints a table (PredictionComparison);
/// --predict-file times TableModel.PredictFile beside merely reading the file (PredictFileTiming).
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: Backprop.Bench --workload W1|W2|W3|W4 [--threads N] [--precision float|double] [--data DIR]\n" +
        "       Backprop.Bench --csv [--data DIR] [--repeat N]\n" +
        "       Backprop.Bench --micro [BenchmarkDotNet arguments, e.g. --filter * --job short]\n" +
        "       Backprop.Bench --paired DIR_A DIR_B --workload W2|W3|W4 [--threads N] [--rounds N]\n" +
        "       Backprop.Bench --predict [--rounds N]\n" +
        "       Backprop.Bench --predict-file MODEL CSV [--rounds N]";

    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "--micro" or "--benchmarkdotnet")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return 0;
        }

        string? workload = null, data = null, precision = "float";
        string? pairedA = null, pairedB = null, predictModel = null, predictCsv = null;
        int threads = Environment.ProcessorCount, repeat = 7;
        int? rounds = null;
        bool csv = false, predict = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--workload": workload = Next().ToUpperInvariant(); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--precision": precision = Next().ToLowerInvariant(); break;
                case "--data": data = Next(); break;
                case "--csv": csv = true; break;
                case "--predict": predict = true; break;
                case "--predict-file": (predictModel, predictCsv) = (Next(), Next()); break;
                case "--repeat": repeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--paired": (pairedA, pairedB) = (Next(), Next()); break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return 2;
            }
        }
        if (predictModel is not null && predictCsv is not null)
        {
            Console.WriteLine(PredictFileTiming.Run(predictModel, predictCsv, Math.Max(1, rounds ?? 5)));
            return 0;
        }
        if (predict)
        {
            PredictionComparison.Run(Math.Max(1, rounds ?? 7), Console.Out);
            return 0;
        }
        if (csv)
        {
            Console.WriteLine(CsvLoading.Run(DataDirectory.Resolve(data), repeat));
            return 0;
        }
        if (pairedA is not null && pairedB is not null)
        {
            if (workload is not ("W2" or "W3" or "W4") || threads < 1 || (rounds ?? 40) < 4)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }
            try
            {
                Console.WriteLine(PairedComparison.Run(pairedA, pairedB, workload, threads, rounds ?? 40));
                return 0;
            }
            catch (FileNotFoundException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
        if (workload is not ("W1" or "W2" or "W3" or "W4") || precision is not ("float" or "double") || threads < 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string dataDir = workload == "W4" ? "" : DataDirectory.Resolve(data);
        string line = precision == "float"
            ? Workloads<float>.Run(workload, threads, dataDir)
            : Workloads<double>.Run(workload, threads, dataDir);
        Console.WriteLine(line);
        return 0;
    }
}
