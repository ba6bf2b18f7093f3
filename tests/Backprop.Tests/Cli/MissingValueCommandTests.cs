using System.Globalization;
using System.Text;

namespace Backprop.Tests.Cli;

/// <summary>Empty fields through the commands under the default policy: train says what it did, predict, evaluate and --stream never refuse.</summary>
public sealed class MissingValueCommandTests : IDisposable
{
    private readonly CliHarness _h = new();

    // 120 rows; 'size' empty in every 6th row, 'city' in every 10th, the target in every 30th.
    private string Gappy()
    {
        var sb = new StringBuilder("city,size,price\n");
        string[] cities = ["a", "b", "c"];
        for (int i = 0; i < 120; i++)
        {
            string price = i % 30 == 7 ? "" : (100 + 3 * i + 10 * (i % 3)).ToString(CultureInfo.InvariantCulture);
            sb.Append(i % 10 == 3 ? "" : cities[i % 3]).Append(',')
              .Append(i % 6 == 1 ? "" : (50 + i).ToString(CultureInfo.InvariantCulture)).Append(',').Append(price).Append('\n');
        }
        return _h.Write("train.csv", sb.ToString());
    }

    [Fact]
    public void Train_with_empty_fields_succeeds_and_says_what_it_left_out_and_filled()
    {
        string model = _h.PathOf("m.json");
        var (code, output, err) = _h.Run("train", Gappy(), "--target", "price", "--epochs", "3", "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("Missing values: 4 targets (rows left out); ", output);
        Assert.Contains("filled with the training median (text: category (missing)): city (", output);
        Assert.Contains("(4 rows with missing values left out)", output);

        var (icode, inspect, _) = _h.Run("inspect", model);
        Assert.Equal(0, icode);
        Assert.Contains("impute", inspect);
    }

    [Fact]
    public void Predict_and_evaluate_fill_empty_fields_and_say_so()
    {
        string model = _h.PathOf("m.json");
        string train = Gappy();
        Assert.Equal(0, _h.Run("train", train, "--target", "price", "--epochs", "3", "--out", model, "--no-plots", "--quiet").Code);

        string fresh = _h.Write("new.csv", "size,city\n,a\n60,\n,\n");
        var (pcode, output, perr) = _h.Run("predict", model, fresh);
        Assert.True(pcode == 0, perr);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.NotEqual("", l.Split(',')[^1]));
        Assert.Contains("warning: 4 empty field(s) were filled as in training", perr);

        var (ecode, eout, eerr) = _h.Run("evaluate", model, train);
        Assert.True(ecode == 0, eerr);
        Assert.Contains("4 row(s) with a missing target were left out", eerr);
        Assert.Contains("| 116 |", eout);
    }

    [Fact]
    public void A_streamed_train_fills_empty_fields_too()
    {
        string model = _h.PathOf("s.json");
        var (code, output, err) = _h.Run("train", Gappy(), "--target", "price", "--epochs", "3", "--stream", "--out", model, "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("Missing values: 4 targets (rows left out); ", output);
        Assert.Contains("size_missing", File.ReadAllText(model));
    }

    [Fact]
    public void Missing_error_and_drop_are_still_there()
    {
        var (code, _, err) = _h.Run("train", Gappy(), "--target", "price", "--missing", "error", "--out", _h.PathOf("e.json"), "--no-plots");
        Assert.Equal(2, code);
        Assert.Contains("rows have missing values", err);
        var (dcode, output, derr) = _h.Run("train", Gappy(), "--target", "price", "--missing", "drop", "--epochs", "2", "--out", _h.PathOf("d.json"), "--no-plots");
        Assert.True(dcode == 0, derr);
        Assert.Contains("more rows with empty features left out", output);
    }

    public void Dispose() => _h.Dispose();
}
