using Backprop.Cli;

namespace Backprop.Tests.Cli;

public sealed class TrainBehaviourTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void A_columns_kind_comes_from_the_whole_file_not_the_train_split(ulong seed)
    {
        // Text values in a few rows of column b: whichever side of the split they fall on, b is text.
        var lines = new List<string> { "a,b,y" };
        for (int i = 0; i < 30; i++)
            lines.Add($"{i},{(i is 7 or 12 or 20 or 21 or 25 or 28 ? "x" : (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture))},{2 * i}");
        string data = _h.Write("mixed.csv", string.Join('\n', lines) + "\n");
        string model = _h.PathOf("m.json");
        var (code, _, err) = _h.Run("train", data, "--target", "y", "--epochs", "5", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        var b = Backprop.Serialization.ModelFile.Read(model).Table!.Columns.Single(c => c.Name == "b");
        Assert.Equal(Backprop.Data.Csv.ColumnKind.Text, b.Kind);
        // One stray word in a column of numbers is no category: the user is told where it is.
        lines[8] = "7,x,14";
        for (int i = 1; i < lines.Count; i++)
            if (i != 8 && lines[i].Contains(",x,", StringComparison.Ordinal))
                lines[i] = lines[i].Replace(",x,", ",1,", StringComparison.Ordinal);
        string stray = _h.Write("stray.csv", string.Join('\n', lines) + "\n");
        (code, _, err) = _h.Run("train", stray, "--target", "y", "--epochs", "5", "--out", model, "--no-plots");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.EndsWith("stray.csv: column 'b': 29 of 30 values are numbers but 1 is not: 'x' (line 9); fix them, mark them missing with --na x, or read the column as categories with --text b", err.Trim());
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Ctrl_C_stops_cleanly_and_saves_the_best_model_so_far()
    {
        // Ctrl+C right after the first epoch: the line that reports it cancels the run. (Before the
        // first epoch nothing is saved: InterruptTests.)
        using var cancel = new CancellationTokenSource();
        var stdout = new CancelOnText(cancel, "epoch 1/");
        var stderr = new StringWriter();
        string model = _h.PathOf("m.json");
        int code = CliApp.Run(["train", Diabetes, "--target", "target", "--search", "none", "--out", model, "--plots", _h.PathOf("plots")], stdout, stderr, cancel.Token);
        Assert.True(code == 130, stderr.ToString());
        Assert.Contains("Interrupted after", stderr.ToString());
        Assert.Contains("saved the best model so far", stderr.ToString());
        Assert.True(File.Exists(model));
        Assert.Equal((900, 600), CliHarness.PngSize(_h.PathOf("plots/loss.png")));
    }

    /// <summary>Stdout that cancels a token once <paramref name="text"/> has been written, as a user watching it would.</summary>
    private sealed class CancelOnText(CancellationTokenSource cancel, string text) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(text, StringComparison.Ordinal))
                cancel.Cancel();
        }
    }

    [Fact]
    public void A_run_that_keeps_a_model_worse_than_its_start_says_to_lower_the_learning_rate()
    {
        // Adam at 30 on diabetes ends a little above its starting loss, short of the divergence
        // check's factor of two: the model is written, with advice that fits it.
        string model = _h.PathOf("m.json");
        var (code, output, _) = _h.Run("train", Diabetes, "--target", "target", "--search", "none", "--learning-rate", "30", "--no-plots", "--out", model);
        Assert.Equal(0, code);
        Assert.Contains("Hint: the loss ended at", output);
        Assert.Contains("lower the learning rate (now 30, try 3)", output);
        Assert.DoesNotContain("raise", output);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void A_diverged_run_is_exit_2_with_a_hint_and_writes_nothing()
    {
        string model = _h.PathOf("m.json");
        var (code, _, err) = _h.Run("train", Diabetes, "--target", "target", "--optimizer", "sgd", "--search", "none", "--learning-rate", "1e4", "--out", model);
        Assert.Equal(2, code);
        Assert.Contains("diverged", err);
        Assert.Contains("--learning-rate", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(model));
        Assert.Empty(Directory.GetDirectories(_h.Folder));
    }

    [Fact]
    public void Missing_mean_and_unseen_categories_work_through_train_and_predict()
    {
        var rows = new List<string> { "city,size,price" };
        var cities = new[] { "a", "b", "c" };
        for (int i = 0; i < 60; i++)
            rows.Add($"{cities[i % 3]},{(i % 7 == 0 ? "" : (50 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))},{100 + 3 * i + 10 * (i % 3)}");
        string train = _h.Write("train.csv", string.Join('\n', rows) + "\n");
        string model = _h.PathOf("m.json");
        var (code, _, err) = _h.Run("train", train, "--target", "price", "--missing", "mean", "--epochs", "5", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        string fresh = _h.Write("new.csv", "size,city\n60,a\n,b\n70,zz\n");
        var (pcode, output, perr) = _h.Run("predict", model, fresh);
        Assert.True(pcode == 0, perr);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("size,city,price_predicted", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.NotEqual("", l.Split(',')[^1]));
        Assert.Contains("warning: 1 input value(s) had categories not seen in training", perr);
        Assert.Contains("city (1)", perr);
    }

    [Fact]
    public void No_header_files_name_columns_by_position()
    {
        var lines = File.ReadAllLines(CliHarness.Sample("seed_curve.csv")).Skip(1).Take(200);
        string data = _h.Write("plain.tsv", string.Join('\n', lines.Select(l => l.Replace(',', '\t'))) + "\n");
        string model = _h.PathOf("m.json");
        var (code, output, err) = _h.Run("train", data, "--no-header", "--target", "column2", "--search", "none", "--hidden", "8", "--activation", "tanh",
            "--epochs", "20", "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("target column2", output);
        var (icode, inspect, _) = _h.Run("inspect", model);
        Assert.Equal(0, icode);
        Assert.Contains("Architecture: 1 -> 8 tanh -> 1 identity", inspect);
    }
}
