using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tests.Hostile;

namespace Backprop.Tests.Load;

/// <summary>One model object, many threads (16, each 200 calls) predicting at once: every result must equal the serial one bit for bit.</summary>
public sealed class ParallelPredictionTests
{
    private const int Callers = 16;
    private const int CallsPerCaller = 200;

    /// <summary>Rows of random inputs (a numeric feature and one-hot cities), some batches longer than the network's 256-row chunk.</summary>
    private static double[][] Batches(int features, int count)
    {
        var random = new Random(12345);
        var batches = new double[count][];
        for (int b = 0; b < count; b++)
        {
            int rows = b % 10 == 0 ? 300 + random.Next(300) : 1 + random.Next(40);
            batches[b] = new double[rows * features];
            for (int i = 0; i < batches[b].Length; i++)
                batches[b][i] = random.NextDouble() * 6 - 3;
        }
        return batches;
    }

    private static void AssertParallelEqualsSerial(MlpRegressor model)
    {
        var batches = Batches(model.FeatureCount, 64);
        var serial = batches.Select(x => model.Predict(x, x.Length / model.FeatureCount)).ToArray();
        var singleRows = batches[1].Chunk(model.FeatureCount).Select(r => model.Predict(r)).ToArray();
        int mismatches = 0;
        // Dedicated threads (not the pool, which adds threads slowly) released together by a barrier.
        using var start = new Barrier(Callers);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, Callers).Select(caller => new Thread(() =>
        {
            try
            {
                Call(caller);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToArray();
        foreach (var t in threads)
            t.Start();
        foreach (var t in threads)
            t.Join();
        Assert.Empty(errors);
        Assert.Equal(0, mismatches);

        void Call(int caller)
        {
            start.SignalAndWait();
            for (int call = 0; call < CallsPerCaller; call++)
            {
                int b = (caller * 7 + call) % batches.Length;
                var y = model.Predict(batches[b], batches[b].Length / model.FeatureCount);
                if (!BitsEqual(serial[b], y))
                    Interlocked.Increment(ref mismatches);
                if (call % 20 == 0)
                {
                    var rows = model.PredictAll(batches[1].Chunk(model.FeatureCount).ToArray()).Select(r => r[0]).ToArray();
                    if (!BitsEqual(singleRows, rows))
                        Interlocked.Increment(ref mismatches);
                }
            }
        }
    }

    private static bool BitsEqual(double[] a, double[] b) =>
        a.Length == b.Length && a.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(b.Select(BitConverter.DoubleToInt64Bits));

    [Theory]
    [InlineData(Precision.Single)]
    [InlineData(Precision.Double)]
    public void Many_threads_predicting_with_one_fitted_model_match_the_serial_results_bit_for_bit(Precision precision)
    {
        var (model, _, _) = SmallModels.Fit(precision, [32, 16], epochs: 3);
        AssertParallelEqualsSerial(model);
    }

    [Theory]
    [InlineData(Precision.Single)]
    [InlineData(Precision.Double)]
    public void Many_threads_predicting_with_one_loaded_model_match_the_serial_results_bit_for_bit(Precision precision)
    {
        var bytes = SmallModels.ValidJson(precision);
        var model = ModelFile.ToModel(ModelFile.Read(new MemoryStream(bytes)));
        AssertParallelEqualsSerial(model);
    }
}
