using System.Text.Json.Nodes;

namespace Backprop.Tests.Cli;

public sealed class BadInputTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    private void AssertNothingWritten(params string[] names)
    {
        foreach (var name in names)
            Assert.False(File.Exists(_h.PathOf(name)), name + " was written");
        Assert.Empty(Directory.GetFiles(_h.Folder, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(_h.Folder));
    }

    [Theory]
    [InlineData("", "y", "empty")]
    [InlineData("a,b,y\n", "y", "no data rows")]
    [InlineData("a,b,y\n1,2,3\n4,5\n7,8,9\n", "y", "line 3|2 fields")]
    [InlineData("a,b,y\n1,2,3\n4,5,abc\n7,8,9\n1,2,3\n4,5,6\n", "y", "line 3|column 'y'|'abc'|not a number")]
    [InlineData("a,b,y\n1,2,3\n4,NaN,6\n7,8,9\n", "y", "line 3|column 'b'|NaN", "--missing", "error")] // NaN is a missing-value token: an error only under --missing error
    [InlineData("a,b,y\n1,2,3\n4,5,6\n7,-Inf,9\n", "y", "line 4|column 'b'|infinite")]
    [InlineData("a,b,y\n1,2,3\n4,5,6\n7,8,9\n", "price", "target column 'price' not found|a, b, y")]
    [InlineData("a,b,y\n1,,3\n4,5,6\n7,8,9\n", "y", "line 2|column 'b'|--missing", "--missing", "error")]
    public void Train_rejects_bad_data_with_exit_2_and_writes_nothing(string content, string target, string keywords, params string[] options)
    {
        string data = _h.Write("data.csv", content);
        var (code, _, err) = _h.Run(["train", data, "--target", target, "--out", _h.PathOf("m.json"), "--plots", _h.PathOf("plots"), .. options]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.Contains("data.csv", err);
        foreach (var word in keywords.Split('|'))
            Assert.Contains(word, err);
        AssertNothingWritten("m.json");
    }

    [Fact]
    public void Train_output_in_a_missing_folder_is_an_error_before_training()
    {
        var (code, _, err) = _h.Run("train", Diabetes, "--target", "target", "--out", _h.PathOf("nowhere/m.json"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", err);
        (code, _, err) = _h.Run("train", Diabetes, "--target", "target", "--out", _h.PathOf("m.json"), "--plots", _h.PathOf("nowhere/plots"));
        Assert.Equal(2, code);
        Assert.Contains("--plots", err);
        AssertNothingWritten("m.json");
    }

    [Fact]
    public void A_failed_train_keeps_the_previous_model_file()
    {
        string model = _h.Write("m.json", "previous model");
        string data = _h.Write("data.csv", "a,b,y\n1,2,3\n4,5\n");
        var (code, _, _) = _h.Run("train", data, "--target", "y", "--out", model, "--no-plots");
        Assert.Equal(2, code);
        Assert.Equal("previous model", File.ReadAllText(model));
    }

    [Fact]
    public void Predict_with_a_missing_feature_column_is_exit_2()
    {
        var lines = File.ReadAllLines(Diabetes).Select(l => string.Join(',', l.Split(',').Where((_, j) => j != 2)));
        string data = _h.Write("nobmi.csv", string.Join('\n', lines) + "\n");
        var (code, _, err) = _h.Run("predict", trained.Path, data, "--out", _h.PathOf("p.csv"));
        Assert.Equal(2, code);
        Assert.Contains("nobmi.csv", err);
        Assert.Contains("column 'bmi'", err);
        Assert.Contains("missing", err);
        AssertNothingWritten("p.csv");
    }

    [Fact]
    public void Predict_output_in_a_missing_folder_is_exit_2()
    {
        var (code, _, err) = _h.Run("predict", trained.Path, Diabetes, "--out", _h.PathOf("nowhere/p.csv"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void Predict_keeps_the_previous_output_when_a_row_is_bad()
    {
        var lines = File.ReadAllLines(Diabetes).ToList();
        lines[300] = "59,2,abc,101,157,93.2,38,4,4.8598,87,151";
        string data = _h.Write("bad.csv", string.Join('\n', lines) + "\n");
        string output = _h.Write("p.csv", "previous");
        var (code, _, err) = _h.Run("predict", trained.Path, data, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("bad.csv: line 301, column 'bmi'", err);
        Assert.Equal("previous", File.ReadAllText(output));
    }

    public static TheoryData<string, string> BrokenModels() => new()
    {
        { "truncated", "truncated" },
        { "version", "version 99" },
        { "shapes", "weights" },
        { "not-json", "not valid model JSON" },
        { "encoder", "damaged" },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void Broken_model_files_are_exit_2_with_a_clear_message(string kind, string keyword)
    {
        string text = File.ReadAllText(trained.Path);
        string broken = kind switch
        {
            "truncated" => text[..(text.Length / 2)],
            "version" => Edit(text, j => j["version"] = 99),
            "shapes" => Edit(text, j => j["layers"]![0]!["units"] = 15),
            "not-json" => "hello, this is not a model",
            _ => Edit(text, j => j["table"]!["columns"]![0]!["scale"] = -1),
        };
        string model = _h.Write("broken.json", broken);
        foreach (var args in new[]
        {
            new[] { "predict", model, Diabetes, "--out", _h.PathOf("p.csv") },
            ["evaluate", model, Diabetes],
            ["inspect", model],
        })
        {
            var (code, output, err) = _h.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("error: broken.json: ", err);
            Assert.Contains(keyword, err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Equal("", output);
        }
        AssertNothingWritten("p.csv");
    }

    [Fact]
    public void Bad_usage_is_exit_2_with_one_line()
    {
        foreach (var args in new[]
        {
            new[] { "train", Diabetes },
            ["train", Diabetes, "--target", "target", "--epochs", "many"],
            ["train", Diabetes, "--target", "target", "--learning-rate", "-1"],
            ["train", Diabetes, "--target", "target", "--activation", "swish"],
            ["explain"],
            ["frobnicate"],
        })
        {
            var (code, _, err) = _h.Run(args);
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
        }
        AssertNothingWritten();
    }

    private static string Edit(string json, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(json)!;
        edit(node);
        return node.ToJsonString();
    }
}
