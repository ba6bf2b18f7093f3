using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Regression;

namespace Backprop.Tests.Engine;

// Data sets the learning tests use: generated Friedman #1, and the shipped diabetes sample.
internal static class Datasets
{
    // Friedman #1: y = 10 sin(pi x1 x2) + 20 (x3 - 1/2)^2 + 10 x4 + 5 x5 (+ noise), ten U(0, 1) inputs.
    public static DataSet Friedman1(int rows, ulong seed, double noise = 0.0)
    {
        var rng = new Rng(seed);
        var x = new double[rows * 10];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var r = x.AsSpan(i * 10, 10);
            for (int j = 0; j < 10; j++)
                r[j] = rng.NextDouble();
            double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] = 10 * Math.Sin(Math.PI * r[0] * r[1]) + 20 * (r[2] - 0.5) * (r[2] - 0.5) + 10 * r[3] + 5 * r[4] + noise * gauss;
        }
        return new DataSet(x, 10, y, 1);
    }

    // W2's split of diabetes.csv: test rows are those with index % 5 == 0.
    public static (DataSet Train, DataSet Test) Diabetes()
    {
        var (x, y, rows) = NumericCsv.ReadMatrix<double>(Path.Combine(AppContext.BaseDirectory, "samples", "diabetes.csv"), ["target"]);
        var all = new DataSet(x, x.Length / rows, y, 1);
        var test = Enumerable.Range(0, rows).Where(i => i % 5 == 0).ToArray();
        var train = Enumerable.Range(0, rows).Where(i => i % 5 != 0).ToArray();
        return (all.Select(train), all.Select(test));
    }
}
