using System.Diagnostics;
using System.Globalization;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Numerics;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

// train --stream: learns from a file read in chunks, in memory that does not grow with the file.
public sealed class StreamTrainingTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    // y = 10 x0 + 5 x1 - 3 x2 + (a text column's effect), x ~ U(0, 1).
    private static void WriteData(string path, int rows, ulong seed)
    {
        var rng = new Rng(seed);
        using var w = new StreamWriter(path);
        w.WriteLine("x0,x1,x2,x3,color,y");
        string[] colors = ["red", "green", "blue"];
        for (int i = 0; i < rows; i++)
        {
            double a = rng.NextDouble(), b = rng.NextDouble(), c = rng.NextDouble(), d = rng.NextDouble();
            int k = rng.NextInt(3);
            double y = 10 * a + 5 * b - 3 * c + 2 * k;
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a:F6},{b:F6},{c:F6},{d:F6},{colors[k]},{y:F6}"));
        }
    }

    [Fact]
    public void Streamed_training_learns_and_predicts_like_any_model()
    {
        string data = _h.PathOf("train.csv"), test = _h.PathOf("test.csv"), model = _h.PathOf("m.json");
        WriteData(data, 20_000, 1);
        WriteData(test, 2_000, 2);
        var (code, output, err) = _h.Run("train", data, "--target", "y", "--stream", "--shuffle-buffer", "3000", "--epochs", "15", "--test-file", test, "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("streaming", output);
        Assert.Contains("2000 validation rows", output);

        var document = ModelFile.Read(model);
        var encoder = TableEncoder.FromState(document.Table!);
        Assert.Equal(["x0", "x1", "x2", "x3", "color=blue", "color=green", "color=red"], encoder.FeatureNames);
        var encoded = encoder.Encode(DataTable.Load(test), requireTargets: true);
        var scores = ModelFile.ToModel(document).Score(encoded);
        // The target is linear in the encoded columns, exactly but for its six printed decimals, so
        // least squares would score 1; the streamed network reaches 0.99985. 0.999 allows about seven
        // times the unexplained variance measured.
        Assert.True(scores.R2 > 0.999, $"test R2 {scores.R2}");
    }

    [Fact]
    public void Streaming_refuses_what_it_cannot_do()
    {
        string data = _h.PathOf("d.csv");
        WriteData(data, 100, 3);
        var (code, _, err) = _h.Run("train", data, "--target", "y", "--stream", "--test-fraction", "0.2");
        Assert.Equal(2, code);
        Assert.Contains("--test-file", err);
        (code, _, err) = _h.Run("train", data, "--target", "y", "--stream", "--optimizer", "lbfgs");
        Assert.Equal(2, code);
        Assert.Contains("cannot stream", err);
        File.AppendAllText(data, "0.1,0.2,0.3,0.4,red,abc\n");
        (code, _, err) = _h.Run("train", data, "--target", "y", "--stream");
        Assert.Equal(2, code);
        Assert.Contains("line 102", err);
        Assert.Contains("'y'", err);
    }

    // The managed heap each streamed run may use: 32 MB, about half the larger file and a small
    // fraction of what its table would take as strings. A run that held the file would fail with
    // OutOfMemoryException instead of growing. (24 MB was measured to suffice, but not always.)
    private const long HeapLimit = 32L << 20;

    // Measured with this limit: 78 MB resident at 15 MB of file and 87 MB at 60 MB (without it, the
    // garbage collector's lazy growth gave 84 and 171 MB). The bound leaves over 1.7 times that for
    // a busy machine's JIT and thread stacks.
    private const long PeakBound = 150L << 20;

    [Fact]
    public async Task Memory_does_not_grow_with_the_file()
    {
        // About 15 and 60 MB: the larger run's peak may exceed the smaller's by no more than the heap
        // limit (measured: 9 MB higher), however much more file it reads.
        long small = await StreamedPeak(300_000, 4);
        long large = await StreamedPeak(1_200_000, 5);
        Assert.True(small > 0 && large > 0, "could not read the child's memory");
        Assert.True(large < PeakBound, $"peak resident memory {large >> 20} MB at 60 MB of data");
        Assert.True(large - small < HeapLimit, $"peak resident memory grew from {small >> 20} MB at 15 MB of data to {large >> 20} MB at 60 MB");
    }

    // Trains one epoch on a file of `rows` rows in a child process with a managed heap of at most
    // HeapLimit; returns the child's peak resident memory.
    private async Task<long> StreamedPeak(int rows, ulong seed)
    {
        string data = _h.PathOf($"big{rows}.csv");
        WriteData(data, rows, seed);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_GCHeapHardLimit"] = HeapLimit.ToString("X", CultureInfo.InvariantCulture);
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Backprop.Cli.dll"), "train", data, "--target", "y", "--stream", "--epochs", "1", "--hidden", "8", "--batch-size", "1024", "--shuffle-buffer", "8192", "--out", _h.PathOf($"big{rows}.json"), "--no-plots", "--quiet" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(50))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("train --stream was still running after 5 minutes");
            }
            peak = Math.Max(peak, PeakResidentBytes(process.Id));
        }
        string messages = await stderr + await stdout;
        Assert.True(process.ExitCode == 0, messages);
        Assert.True(new FileInfo(data).Length > rows * 45L, "the file is smaller than the test means it to be");
        File.Delete(data);
        return peak;
    }

    // VmHWM, the kernel's high-water mark of resident memory, read while the process lives.
    private static long PeakResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
            // The process ended between the check and the read.
        }
        return 0;
    }
}
