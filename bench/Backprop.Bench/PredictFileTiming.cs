using System.Diagnostics;
using System.Globalization;
using Backprop.Tables;
using nietras.SeparatedValues;

namespace Backprop.Bench;

/// <summary>
/// Times <see cref="TableModel.PredictFile(string, string, Data.Csv.CsvOptions?, bool, double?)"/> on a CSV
/// file (written atomically, so flushed to disk), the same into a writer that discards its text,
/// and beside them the floor any CSV predictor stands on: reading the same file and parsing every
/// field as a number, with nothing else done. Alternating rounds, after one untimed run of each;
/// the input is then in the page cache, so reading measures work, not the disk.
/// </summary>
internal static class PredictFileTiming
{
    public static string Run(string modelPath, string csvPath, int rounds)
    {
        var model = TableModel.Load(modelPath);
        string output = Path.Combine(Path.GetTempPath(), $"backprop-predict-{Environment.ProcessId}.csv");
        var predict = new List<double>();
        var discard = new List<double>();
        var read = new List<double>();
        long rows = 0;
        try
        {
            for (int round = -1; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                rows = model.PredictFile(csvPath, output).Rows;
                if (round >= 0)
                    predict.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                model.PredictFile(csvPath, TextWriter.Null);
                if (round >= 0)
                    discard.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                ReadEveryNumber(csvPath);
                if (round >= 0)
                    read.Add(clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            File.Delete(output);
        }
        double p = Median(predict), d = Median(discard), r = Median(read);
        return string.Create(CultureInfo.InvariantCulture,
            $"{rows:N0} rows, {new FileInfo(csvPath).Length / 1e6:F0} MB: predict to a file {p:F3} s ({rows / p / 1e6:F2} M rows/s), to a discarding writer {d:F3} s ({rows / d / 1e6:F2} M rows/s), reading and parsing alone {r:F3} s ({rows / r / 1e6:F2} M rows/s): {p / r:F2}x and {d / r:F2}x the reading time (medians of {rounds} rounds)");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    // Parses every field of every data row as a double: the least a predictor must do with the file.
    private static double ReadEveryNumber(string path)
    {
        double sum = 0;
        using var reader = Sep.Reader(o => o with { CultureInfo = CultureInfo.InvariantCulture }).FromFile(path);
        foreach (var row in reader)
        {
            for (int j = 0; j < row.ColCount; j++)
                sum += row[j].Parse<double>();
        }
        return sum;
    }
}
