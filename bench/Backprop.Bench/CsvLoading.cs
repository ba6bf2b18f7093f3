using System.Diagnostics;
using Backprop.Data.Csv;

namespace Backprop.Bench;

/// <summary>
/// Times <see cref="NumericCsv.ReadMatrix{T}"/> on friedman1_100k.csv into float features and
/// targets, after one untimed warm-up read; prints the median of <c>repeat</c> runs as one JSON line.
/// The file is in the page cache after the warm-up, so this measures parsing, not the disk.
/// </summary>
internal static class CsvLoading
{
    public static string Run(string dataDir, int repeat)
    {
        string path = Path.Combine(dataDir, "friedman1_100k.csv");
        double megabytes = new FileInfo(path).Length / 1e6;
        NumericCsv.ReadMatrix<float>(path, ["y"]);
        var seconds = new double[Math.Max(1, repeat)];
        int rows = 0;
        for (int r = 0; r < seconds.Length; r++)
        {
            var clock = Stopwatch.StartNew();
            (_, _, rows) = NumericCsv.ReadMatrix<float>(path, ["y"]);
            seconds[r] = clock.Elapsed.TotalSeconds;
        }
        double median = seconds.Order().ElementAt(seconds.Length / 2);
        return new JsonLine()
            .Add("peer", "backprop")
            .Add("workload", "csv-friedman1_100k")
            .Add("rows", rows)
            .Add("megabytes", megabytes)
            .Add("seconds", median)
            .Add("rate", megabytes / median)
            .Add("rate_unit", "MB/s")
            .Add("seconds_per_run", seconds)
            .ToString();
    }
}
