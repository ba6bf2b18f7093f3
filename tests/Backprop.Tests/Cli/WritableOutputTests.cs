using Backprop.Cli;

namespace Backprop.Tests.Cli;

// Every output is checked before any work, and a refusal is one plain line naming the path. The
// tests run as root in CI, where permission bits stop nothing, so the folder that refuses is /sys:
// sysfs takes no new files from anyone, root included. A read-only existing file is refused by its
// mode, which the check reads rather than trusting the write to fail.
public sealed class WritableOutputTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private const string Refusing = "/sys";
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    private static void AssertRefusedBeforeWork((int Code, string Out, string Err) run, string option, string path)
    {
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Err}");
        Assert.Contains($"error: {option}: cannot write to the folder '{Refusing}'", run.Err, StringComparison.Ordinal);
        Assert.Contains(path, run.Err, StringComparison.Ordinal);
        Assert.Contains("permission denied", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", run.Out, StringComparison.Ordinal); // refused before training
    }

    [Fact]
    public void A_model_in_a_folder_that_takes_no_files_is_refused_before_training()
    {
        string model = Path.Combine(Refusing, "m.model.json");
        AssertRefusedBeforeWork(_h.Run("train", Diabetes, "--target", "target", "--out", model, "--no-plots"), "--out", model);
    }

    [Fact]
    public void Plots_checkpoint_predictions_and_ONNX_are_checked_the_same_way()
    {
        string model = _h.PathOf("m.model.json");
        string plots = Path.Combine(Refusing, "plots");
        AssertRefusedBeforeWork(_h.Run("train", Diabetes, "--target", "target", "--out", model, "--plots", plots), "--plots", plots);
        string checkpoint = Path.Combine(Refusing, "run.ckpt.json");
        AssertRefusedBeforeWork(_h.Run("train", Diabetes, "--target", "target", "--out", model, "--checkpoint", checkpoint), "--checkpoint", checkpoint);
        Assert.False(File.Exists(model));
        string predictions = Path.Combine(Refusing, "p.csv");
        AssertRefusedBeforeWork(_h.Run("predict", trained.Path, Diabetes, "--out", predictions), "--out", predictions);
        string onnx = Path.Combine(Refusing, "m.onnx");
        AssertRefusedBeforeWork(_h.Run("export", trained.Path, "--onnx", onnx), "--onnx", onnx);
    }

    [Fact]
    public void A_read_only_model_file_is_left_alone()
    {
        string model = _h.Write("locked.model.json", "keep me");
        File.SetAttributes(model, FileAttributes.ReadOnly); // on Unix: the write bits cleared

        var (code, output, err) = _h.Run("train", Diabetes, "--target", "target", "--out", model, "--no-plots");

        Assert.True(code == 2, err);
        Assert.Contains($"error: --out: '{model}' is read-only; make it writable or write to another file.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(model));
    }

    [Fact]
    public void A_write_that_fails_later_is_named_in_plain_words()
    {
        // /dev/full fails every write with "no space left on device", as a full disk does.
        var failure = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            full.Write(new byte[4096]);
            full.Flush();
        });
        Assert.Equal("the disk is full", OutputPaths.Reason(failure));

        var error = Assert.Throws<CliException>(() => OutputPaths.Write("m.json", "--out", () => throw failure));
        Assert.Equal("--out: could not write 'm.json': the disk is full. Nothing was replaced.", error.Message);
        Assert.Equal(1, error.ExitCode);
    }

    [Fact]
    public void The_check_leaves_nothing_behind_in_a_writable_folder()
    {
        string model = _h.PathOf("ok.model.json");
        var (code, _, err) = _h.Run("train", Diabetes, "--target", "target", "--search", "none", "--hidden", "4", "--epochs", "2", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        Assert.Equal([model], Directory.GetFileSystemEntries(_h.Folder));
    }
}
