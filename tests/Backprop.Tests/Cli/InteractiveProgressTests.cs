namespace Backprop.Tests.Cli;

/// <summary>On a terminal, training shows a live bar (on a thread of its own) and then the same results as without one.</summary>
public sealed class InteractiveProgressTests : IDisposable
{
    private readonly CliHarness _h = new();

    [Fact]
    public void A_terminal_run_shows_the_bar_and_ends_like_a_plain_one()
    {
        string[] args = ["train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--search", "none", "--hidden", "8", "--epochs", "4", "--no-plots"];
        var (code, shown) = CliHarness.RunOnTerminal([.. args, "--out", _h.PathOf("bar.model.json")]);
        var (plainCode, plain, _) = _h.Run([.. args, "--out", _h.PathOf("plain.model.json")]);

        Assert.Equal(0, code);
        Assert.Equal(0, plainCode);
        Assert.Contains("epoch 4/4", shown, StringComparison.Ordinal);
        Assert.Contains("diabetes.csv: 442 rows, 10 inputs from 10 columns, target target.", shown, StringComparison.Ordinal);
        Assert.True(shown.IndexOf("Rows: ", StringComparison.Ordinal) < shown.IndexOf("epoch 4/4", StringComparison.Ordinal), "the data summary comes before the bar");
        Assert.Contains("Model written to", shown, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(_h.PathOf("plain.model.json")).Split('\n').Where(l => !l.Contains("\"created\"", StringComparison.Ordinal) && !l.Contains("\"seconds\"", StringComparison.Ordinal)),
            File.ReadAllText(_h.PathOf("bar.model.json")).Split('\n').Where(l => !l.Contains("\"created\"", StringComparison.Ordinal) && !l.Contains("\"seconds\"", StringComparison.Ordinal)));
        Assert.Contains("Ran all 4 epochs", plain, StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}
