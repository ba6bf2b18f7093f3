namespace Backprop.Tests.Cli;

/// <summary>
/// A checkpoint resumed with something other than what wrote it is refused, with the error
/// docs/errors.md lists, exit 2, and the checkpoint untouched: other data (a shorter copy of the
/// file), other training options (another --hidden), or options that encode the data to another
/// width (one more --ignore).
/// </summary>
public sealed class ResumeMismatchTests : IDisposable
{
    private readonly CliHarness _h = new();
    private readonly string _data;
    private readonly string _checkpoint;
    private readonly string[] _command;

    public ResumeMismatchTests()
    {
        var lines = File.ReadAllLines(CliHarness.Sample("diabetes.csv"));
        _data = _h.Write("d.csv", string.Join('\n', lines.Take(201)) + "\n");
        _checkpoint = _h.PathOf("run.ckpt.json");
        _command = ["train", _data, "--target", "target", "--epochs", "3", "--search", "none", "--hidden", "4", "--no-plots", "--quiet", "--out", _h.PathOf("m.json")];
        var (code, _, err) = _h.Run([.. _command, "--checkpoint", _checkpoint]);
        Assert.True(code == 0, err);
    }

    public void Dispose() => _h.Dispose();

    private void AssertRefused(string[] args, string expected)
    {
        byte[] before = File.ReadAllBytes(_checkpoint);
        var (code, _, err) = _h.Run([.. args, "--resume", _checkpoint]);
        Assert.Equal(2, code);
        Assert.Equal($"error: --resume: {_checkpoint} {expected}", err.TrimEnd('\n'));
        Assert.Equal(before, File.ReadAllBytes(_checkpoint));
    }

    [Fact]
    public void A_checkpoint_resumed_with_other_data_is_refused()
    {
        var lines = File.ReadAllLines(_data);
        File.WriteAllText(_data, string.Join('\n', lines.Take(151)) + "\n"); // the same file name, fewer rows
        AssertRefused(_command, "was written for other data (d.csv); resume with the same data file.");
    }

    [Fact]
    public void A_checkpoint_resumed_with_other_training_options_is_refused() =>
        AssertRefused([.. _command.Select(a => a == "4" ? "8" : a)], "was written with other training options; resume with the same command line that wrote it (plus --resume).");

    [Fact]
    public void A_checkpoint_resumed_with_a_narrower_encoding_is_refused() =>
        AssertRefused([.. _command, "--ignore", "age"], "was written for 10 inputs and 1 targets; this data encodes to 9 and 1. Resume with the same options.");

    [Fact]
    public void The_same_command_resumes()
    {
        var (code, _, err) = _h.Run([.. _command, "--resume", _checkpoint]);
        Assert.True(code == 0, err);
    }
}
