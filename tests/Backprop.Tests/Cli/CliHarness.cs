using System.Buffers.Binary;
using Backprop.Cli;

namespace Backprop.Tests.Cli;

/// <summary>Runs the CLI in-process in a temporary folder and captures its output.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Folder = Path.Combine(Path.GetTempPath(), "backprop-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        string path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the CLI as on a terminal that draws ANSI (a live progress bar); returns the exit code and what it drew.</summary>
    public static (int Code, string Shown) RunOnTerminal(params string[] args)
    {
        var terminal = new StringWriter();
        int code = CliApp.Run(args, terminal, new StringWriter(), terminal: Terminal.Ansi);
        return (code, terminal.ToString());
    }

    /// <summary>Width and height from a PNG's signature and IHDR chunk; throws when it is not a PNG.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG");
        Assert.Equal(signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One small model trained once on diabetes.csv and shared by the tests that read models.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        var (code, _, err) = Harness.Run("train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--search", "none", "--hidden", "16,8", "--epochs", "30",
            "--out", Harness.PathOf("model.json"), "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        Path = Harness.PathOf("model.json");
    }

    public CliHarness Harness { get; } = new();

    public string Path { get; }

    public void Dispose() => Harness.Dispose();
}
