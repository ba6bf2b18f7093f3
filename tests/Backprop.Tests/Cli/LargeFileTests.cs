using System.Diagnostics;
using System.Globalization;
using System.Text;
using Backprop.Cli;
using Parquet;
using Parquet.Schema;
using Xunit.Abstractions;

namespace Backprop.Tests.Cli;

/// <summary>
/// <c>predict</c> streams: a CSV of about 300 MB (far more than the bound below, and more than the
/// whole table would take in memory as strings), and a Parquet file larger than the bound, go
/// through a child process whose peak working set stays under 200 MB.
/// </summary>
public sealed class LargeFileTests(ITestOutputHelper log) : IDisposable
{
    private const long TargetBytes = 300L << 20;
    private const long PeakBound = 200L << 20;
    private const int Features = 9;

    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>Writes rows of 9 features and a target until the file reaches <paramref name="bytes"/>; returns the row count.</summary>
    private static long WriteCsv(string path, long bytes, long maxRows = long.MaxValue)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', Enumerable.Range(0, Features).Select(j => "x" + j)) + ",y\n");
        Span<char> number = stackalloc char[32];
        long rows = 0;
        ulong state = 0x9E3779B97F4A7C15UL;
        while (stream.Position < bytes && rows < maxRows)
        {
            // Enough rows per check that Position (flushed in 1 MB blocks) is a cheap test.
            for (int k = 0; k < 1000 && rows < maxRows; k++, rows++)
            {
                double y = 0;
                for (int j = 0; j < Features; j++)
                {
                    state = state * 6364136223846793005UL + 1442695040888963407UL;
                    double x = Math.Round((state >> 11) * (1.0 / (1UL << 53)) * 20 - 10, 3);
                    y += (j + 1) * x;
                    x.TryFormat(number, out int n, "R", CultureInfo.InvariantCulture);
                    writer.Write(number[..n]);
                    writer.Write(',');
                }
                y.TryFormat(number, out int m, "R", CultureInfo.InvariantCulture);
                writer.Write(number[..m]);
                writer.Write('\n');
            }
        }
        return rows;
    }

    // A small model on 500 rows like the big file's, to predict with.
    private string TrainSmallModel()
    {
        string sample = _h.PathOf("sample.csv");
        WriteCsv(sample, long.MaxValue, maxRows: 500);
        string model = _h.PathOf("model.json");
        var (code, _, err) = _h.Run("train", sample, "--target", "y", "--search", "none", "--hidden", "8", "--epochs", "5", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        return model;
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [Fact]
    [Trait("Category", "Large")]
    public async Task Predict_streams_a_300_MB_file_in_a_child_process_with_a_flat_peak_working_set()
    {
        string model = TrainSmallModel();

        string big = _h.PathOf("big.csv");
        long rows = WriteCsv(big, TargetBytes);
        Assert.True(new FileInfo(big).Length >= TargetBytes);

        string output = _h.PathOf("predictions.csv");
        var (exit, errors, peak, elapsed) = await RunMeasuredAsync("predict", model, big, "--out", output, "--only-predictions");
        AssertStreamed(exit, errors, rows, big, peak, elapsed);

        File.Delete(big);
        long lines = 0;
        using (var reader = new StreamReader(output))
        {
            Assert.Equal("y_predicted", reader.ReadLine());
            while (reader.ReadLine() is { } line)
            {
                lines++;
                if (lines % 100_000 == 1)
                    Assert.True(double.IsFinite(double.Parse(line, CultureInfo.InvariantCulture)), line);
            }
        }
        Assert.Equal(rows, lines);
        Assert.True(elapsed < TimeSpan.FromSeconds(120), $"predict took {elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    [Trait("Category", "Large")]
    public async Task Predict_streams_a_parquet_file_larger_than_the_bound_row_group_by_row_group()
    {
        string model = TrainSmallModel();

        // Random doubles barely compress, so about 80 bytes a row: 210 MB is some 2.7 million rows.
        string big = _h.PathOf("big.parquet");
        long rows = await WriteParquetAsync(big, PeakBound + (10L << 20));
        Assert.True(new FileInfo(big).Length > PeakBound);

        string output = _h.PathOf("predictions.parquet");
        var (exit, errors, peak, elapsed) = await RunMeasuredAsync("predict", model, big, "--out", output, "--only-predictions");
        AssertStreamed(exit, errors, rows, big, peak, elapsed);

        File.Delete(big);
        await using var reader = await ParquetReader.CreateAsync(output);
        Assert.Equal(["y_predicted"], reader.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal(rows, reader.RowGroups.Sum(g => g.RowCount));
    }

    // The same rows as WriteCsv, as doubles in row groups of 100,000, until the file reaches the size.
    private static async Task<long> WriteParquetAsync(string path, long bytes)
    {
        var fields = Enumerable.Range(0, Features).Select(j => new DataField<double>("x" + j)).Append(new DataField<double>("y")).ToArray();
        const int group = 100_000;
        var columns = fields.Select(_ => new double[group]).ToArray();
        ulong state = 0x9E3779B97F4A7C15UL;
        long rows = 0;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        while (stream.Position < bytes)
        {
            for (int i = 0; i < group; i++)
            {
                double y = 0;
                for (int j = 0; j < Features; j++)
                {
                    state = state * 6364136223846793005UL + 1442695040888963407UL;
                    double x = Math.Round((state >> 11) * (1.0 / (1UL << 53)) * 20 - 10, 3);
                    y += (j + 1) * x;
                    columns[j][i] = x;
                }
                columns[Features][i] = y;
            }
            using var rowGroup = writer.CreateRowGroup();
            for (int j = 0; j < fields.Length; j++)
                await rowGroup.WriteAsync<double>(fields[j], columns[j]);
            rows += group;
        }
        return rows;
    }

    private void AssertStreamed(int exit, string errors, long rows, string big, long peak, TimeSpan elapsed)
    {
        Assert.True(exit == 0, $"exit {exit}: {errors}");
        Assert.Contains($"Wrote {rows} predictions", errors);
        log.WriteLine($"predict: {rows} rows, {new FileInfo(big).Length >> 20} MB ({Path.GetExtension(big)}) in {elapsed.TotalSeconds:F1} s, peak working set {peak >> 20} MB");
        Assert.True(peak > 0, "the peak working set was never read");
        Assert.True(peak < PeakBound, $"peak working set {peak >> 20} MB for a {new FileInfo(big).Length >> 20} MB file (bound {PeakBound >> 20} MB)");
    }

    // Runs the CLI in a child process, polling its peak working set until it exits.
    private static async Task<(int Exit, string Errors, long Peak, TimeSpan Elapsed)> RunMeasuredAsync(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Prepend(typeof(CliApp).Assembly.Location))
            start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        long peak = 0;
        while (!child.WaitForExit(50))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                child.Kill(entireProcessTree: true);
                Assert.Fail("predict was still running after 5 minutes");
            }
            // PeakWorkingSet64 is the kernel's high-water mark (VmHWM), so polling misses nothing before the last poll.
            try
            {
                child.Refresh();
                peak = Math.Max(peak, child.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                break; // exited between the check and the read
            }
        }
        await child.WaitForExitAsync();
        string errors = await stderr;
        await stdout;
        return (child.ExitCode, errors, peak, clock.Elapsed);
    }
}
