namespace Backprop.Tests.Cli;

/// <summary>What train prints about the columns it reads: notes, and the typing errors as one line.</summary>
public sealed class ColumnNoticeTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Train_notes_the_columns_it_leaves_out_and_the_target_found_in_another_case()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"{i + 1},user{i},same,{i % 4},{i * 3 % 7}");
        string data = _h.Write("people.csv", "row,name,const,x,Target\n" + string.Join('\n', lines) + "\n");
        var (code, _, err) = _h.Run("train", data, "--target", "target", "--epochs", "2", "--out", _h.PathOf("m.json"), "--no-plots");
        Assert.True(code == 0, err);
        Assert.Contains("note: target column 'target' is not in", err);
        Assert.Contains("note: column 'row' counts the rows (1, 2, 3, ...)", err);
        Assert.Contains("note: column 'name' looks like an identifier or a name (30 distinct values in 30 rows), so it is left out", err);
        Assert.Contains("note: column 'const' has the same value ('same') in every row", err);

        (code, _, err) = _h.Run("train", data, "--target", "Target", "--keep", "name,const", "--epochs", "2", "--out", _h.PathOf("m.json"), "--no-plots");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("left out", err);
    }

    [Fact]
    public void Train_reads_a_european_file_and_declared_missing_tokens()
    {
        string data = _h.Write("eu.csv", "a;b;y\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"{i % 7};{(i % 9 == 4 ? "-" : $"{i},5")};{i % 3},25")) + "\n");
        var (code, _, err) = _h.Run("train", data, "--target", "y", "--epochs", "2", "--out", _h.PathOf("m.json"), "--no-plots", "--missing", "mean");
        Assert.Equal(2, code);
        Assert.Contains("column 'b'", err);
        Assert.Contains("--na -", err);

        (code, _, err) = _h.Run("train", data, "--target", "y", "--epochs", "2", "--out", _h.PathOf("m.json"), "--no-plots", "--missing", "mean", "--na", "-");
        Assert.True(code == 0, err);
        var table = Backprop.Serialization.ModelFile.Read(_h.PathOf("m.json")).Table!;
        Assert.Equal(',', table.DecimalSeparator);
        Assert.Contains("-", table.MissingTokens!);
    }
}
