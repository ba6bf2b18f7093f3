using System.Diagnostics;
using System.Text.Json.Nodes;
using Backprop.Numerics;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

// Train, SIGKILL the process at random moments, resume each time: the final model file equals an
// uninterrupted run's byte for byte, apart from the write time and the epoch timings. Every kill
// also lands during checkpoint writes sooner or later, and the checkpoint must always be whole.
public class ResumeAfterKillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Killed_and_resumed_training_equals_an_uninterrupted_run()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "samples", "diabetes.csv");
        string[] common = ["train", data, "--target", "target", "--epochs", "150", "--patience", "1000", "--search", "none", "--hidden", "256,256", "--no-plots", "--quiet", "--seed", "5"];
        string straight = Path.Combine(_folder, "straight.json");
        Assert.Equal(0, Run([.. common, "--out", straight], killAfter: null).ExitCode);

        string model = Path.Combine(_folder, "resumed.json");
        string checkpoint = Path.Combine(_folder, "run.ckpt.json");
        string[] withCheckpoint = [.. common, "--out", model, "--checkpoint", checkpoint];
        var rng = new Rng(11);
        int kills = 0;
        var first = Run(withCheckpoint, killAfter: TimeSpan.FromMilliseconds(rng.NextDouble(1500, 3000)));
        kills += first.Killed ? 1 : 0;
        for (int attempt = 0; attempt < 30 && !File.Exists(model); attempt++)
        {
            if (File.Exists(checkpoint))
                CheckpointFile.Read(checkpoint); // whole, whatever moment the kill came at
            string[] args = File.Exists(checkpoint) ? [.. withCheckpoint, "--resume", checkpoint] : withCheckpoint;
            var run = Run(args, killAfter: kills < 4 ? TimeSpan.FromMilliseconds(rng.NextDouble(800, 2500)) : null);
            kills += run.Killed ? 1 : 0;
            Assert.True(run.Killed || run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        }
        Assert.True(kills >= 2, $"only {kills} kills landed before training finished; the test proves nothing");
        Assert.Equal(Comparable(straight), Comparable(model));
    }

    // The file's text without the fields that record when, not what: the write time and epoch durations.
    private static string Comparable(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("created");
        foreach (var epoch in json["history"]!.AsArray())
            epoch!.AsObject().Remove("seconds");
        return json.ToJsonString();
    }

    private static (int ExitCode, bool Killed, string Error) Run(string[] args, TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Backprop.Cli.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        bool killed = false;
        if (killAfter is { } delay && !process.WaitForExit(delay))
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            killed = true;
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"backprop {string.Join(' ', args)}: still running after 3 minutes");
        }
        process.WaitForExit();
        _ = stdout.Result;
        return (killed ? -1 : process.ExitCode, killed, stderr.Result);
    }
}
