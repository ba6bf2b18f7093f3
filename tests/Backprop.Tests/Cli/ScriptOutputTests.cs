using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Cli;
using Backprop.Tables;

namespace Backprop.Tests.Cli;

// Output for scripts: --json is one document on stdout and nothing else; tables are plain ASCII when
// stdout is not a terminal; the model file keeps its scores and inspect shows them.
public sealed class ScriptOutputTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static string Diabetes => CliHarness.Sample("diabetes.csv");

    // Throws unless stdout is exactly one JSON object.
    private static JsonObject Document(string stdout) => JsonNode.Parse(stdout, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false })!.AsObject();

    private static bool HasBoxDrawing(string text) => text.Any(c => c is >= '\u2500' and <= '\u257F');

    [Fact]
    public void Train_json_is_one_document_with_the_data_scores_warnings_and_files()
    {
        string model = _h.PathOf("j.model.json");
        string plots = _h.PathOf("j.plots");
        var (code, output, err) = _h.Run("train", Diabetes, "--target", "target", "--search", "none", "--hidden", "8", "--epochs", "5", "--out", model, "--plots", plots, "--json");

        Assert.True(code == 0, err);
        var json = Document(output);
        Assert.Equal("train", (string?)json["command"]);
        Assert.Equal("completed", (string?)json["status"]);
        Assert.Equal(442, (long)json["data"]!["rows"]!);
        Assert.Equal(88, (int)json["data"]!["test_rows"]!);
        Assert.Equal(["train", "validation", "test"], json["scores"]!.AsArray().Select(s => (string?)s!["part"]));
        var test = json["scores"]![2]!;
        Assert.Equal(88, (int)test["rows"]!);
        Assert.InRange((double)test["rmse"]!, 1, 500);
        Assert.Equal("target", (string?)test["targets"]![0]!["target"]);
        Assert.Equal("epoch_limit", (string?)json["training"]!["reason"]);
        Assert.NotNull(json["warnings"]!.AsArray());
        Assert.Equal(model, (string?)json["files"]!["model"]);
        Assert.Equal(3, json["files"]!["plots"]!.AsArray().Count);
        Assert.All(json["files"]!["plots"]!.AsArray(), p => Assert.True(File.Exists((string?)p)));
        Assert.DoesNotContain("epoch 1/", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_leaves_out_and_counts_rows_with_a_missing_target_and_says_so_in_json()
    {
        // The fixture model was trained with --missing error; the help promises these rows are left out.
        var lines = File.ReadAllLines(Diabetes);
        lines[3] = lines[3][..lines[3].LastIndexOf(',')] + ",";
        lines[7] = lines[7][..lines[7].LastIndexOf(',')] + ",";
        string data = _h.Write("gaps.csv", string.Join('\n', lines));

        var (code, output, err) = _h.Run("evaluate", trained.Path, data, "--json");

        Assert.True(code == 0, err);
        var json = Document(output);
        Assert.Equal(440, (int)json["rows_scored"]!);
        Assert.Equal(2, (int)json["rows_left_out"]!["missing_target"]!);
        Assert.Equal(0, (int)json["rows_left_out"]!["missing_features"]!);
        Assert.Equal(440, (int)json["scores"]![0]!["rows"]!);
        Assert.Contains("warning: 2 row(s) with a missing target were left out.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_and_predict_take_the_missing_option()
    {
        var lines = File.ReadAllLines(Diabetes);
        lines[5] = "," + lines[5][(lines[5].IndexOf(',') + 1)..]; // an empty 'age'
        string data = _h.Write("feature-gap.csv", string.Join('\n', lines));

        var filled = _h.Run("evaluate", trained.Path, data); // the model's own policy, impute, fills the gap
        Assert.True(filled.Code == 0, filled.Err);
        Assert.Contains("age (1)", filled.Err, StringComparison.Ordinal);
        var refused = _h.Run("evaluate", trained.Path, data, "--missing", "error");
        Assert.Equal(2, refused.Code);

        var (code, output, err) = _h.Run("evaluate", trained.Path, data, "--missing", "drop", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(441, (int)Document(output)["rows_scored"]!);
        Assert.Equal(1, (int)Document(output)["rows_left_out"]!["missing_features"]!);

        string predictions = _h.PathOf("p.csv");
        var predicted = _h.Run("predict", trained.Path, data, "--missing", "mean", "--out", predictions, "--json");
        Assert.True(predicted.Code == 0, predicted.Err);
        var json = Document(predicted.Out);
        Assert.Equal(442, (int)json["rows"]!);
        Assert.Equal(0, (int)json["rows_without_prediction"]!);
        Assert.Equal(predictions, (string?)json["output"]);
        Assert.Equal(443, File.ReadAllLines(predictions).Length);
    }

    [Fact]
    public void Predict_json_needs_an_output_file()
    {
        var (code, output, err) = _h.Run("predict", trained.Path, Diabetes, "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--json needs --out", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_are_plain_text_when_stdout_is_not_a_terminal()
    {
        var (code, plain, _) = _h.Run("evaluate", trained.Path, Diabetes);
        var terminal = new StringWriter();
        int terminalCode = CliApp.Run(["evaluate", trained.Path, Diabetes], terminal, new StringWriter(), terminal: Backprop.Cli.Terminal.Ansi);

        Assert.Equal(0, code);
        Assert.Equal(0, terminalCode);
        Assert.False(HasBoxDrawing(plain), plain);
        Assert.True(plain.All(c => c < 128), plain);
        Assert.Contains("| diabetes.csv |", plain, StringComparison.Ordinal);
        Assert.True(HasBoxDrawing(terminal.ToString()), "a terminal gets the drawn table");
    }

    [Fact]
    public void Inspect_shows_the_scores_the_model_file_kept()
    {
        string model = _h.PathOf("s.model.json");
        var (code, output, err) = _h.Run("train", Diabetes, "--target", "target", "--search", "none", "--hidden", "8", "--epochs", "5", "--out", model, "--no-plots", "--json");
        Assert.True(code == 0, err);
        var test = Document(output)["scores"]![2]!;

        var shown = _h.Run("inspect", model);
        var json = _h.Run("inspect", model, "--json");

        Assert.Equal(0, shown.Code);
        string r2 = ((double)test["r2"]!).ToString("G6", CultureInfo.InvariantCulture);
        Assert.Contains($"test (n 88) R2 {r2}", shown.Out, StringComparison.Ordinal);
        Assert.Contains("Data:         diabetes.csv: 442 rows", shown.Out, StringComparison.Ordinal);
        var stored = Document(json.Out)["report"]!;
        Assert.Equal((double)test["r2"]!, (double)stored["scores"]![2]!["r2"]!);
        Assert.Equal(354, (int)stored["data"]!["train_rows"]! + (int)stored["data"]!["validation_rows"]!);
        Assert.Equal("inspect", (string?)Document(json.Out)["command"]);
    }

    [Fact]
    public void A_model_file_from_before_says_it_has_no_stored_scores()
    {
        string old = Path.Combine(AppContext.BaseDirectory, "Tables", "Fixtures", "diabetes-v1.model.json");
        var shown = _h.Run("inspect", old);
        var json = _h.Run("inspect", old, "--json");

        Assert.True(shown.Code == 0, shown.Err);
        Assert.Contains("Scores:       none stored", shown.Out, StringComparison.Ordinal);
        Assert.True(json.Code == 0, json.Err);
        Assert.Null(Document(json.Out)["report"]);
    }

    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    public void Predictions_carry_the_digits_of_the_model_precision(string precision)
    {
        string model = _h.PathOf(precision + ".model.json");
        var (code, _, err) = _h.Run("train", Diabetes, "--target", "target", "--search", "none", "--hidden", "8", "--epochs", "3", "--precision", precision, "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        var loaded = TableModel.Load(model);
        string predictions = _h.PathOf(precision + ".csv");
        loaded.PredictFile(Diabetes, predictions, onlyPredictions: true);
        var written = File.ReadAllLines(predictions)[1..];
        var rows = File.ReadAllLines(Diabetes);
        var header = rows[0].Split(',');

        for (int i = 0; i < written.Length; i++)
        {
            var fields = rows[i + 1].Split(',');
            double exact = loaded.Predict(header.Select((h, j) => (h, fields[j])).ToDictionary(p => p.h, p => (string?)p.Item2))[0];
            if (precision == "float")
            {
                // The shortest text that reads back to the float.
                Assert.Equal(((float)exact).ToString("R", CultureInfo.InvariantCulture), written[i]);
            }
            else
            {
                Assert.Equal(exact, double.Parse(written[i], CultureInfo.InvariantCulture));
            }
        }
        // A float never needs more than 9 significant digits; over 442 rows some double does.
        Assert.Equal(precision == "double", written.Any(w => w.TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length > 9));
    }
}
