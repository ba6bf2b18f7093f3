using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Backprop.Serialization;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary>
/// The one JSON document <c>--json</c> writes to stdout, per command, built from the library's
/// report types. Its shape is documented in docs/cli.md; names are snake_case like the model file's,
/// and a score is the same object there and here.
/// </summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // R2 is NaN on a constant target; JSON has no NaN, so it is written as the string "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The fit's data summary, scores, stop reason and warnings, as the model file keeps them, and the files written (null and empty when none).</summary>
    public static JsonObject Train(TableModel model, string? modelPath, IReadOnlyList<string> plots, string? checkpoint) => new()
    {
        ["command"] = "train",
        ["status"] = model.Report.Interrupted ? "interrupted" : "completed",
        ["data"] = Node(model.ToDocument().Report!.Data),
        ["targets"] = Node(model.TargetNames),
        // Before the first epoch the weights are the initial guess: nothing worth scoring.
        ["scores"] = Node(model.Report.HasTrainedModel ? model.ToDocument().Report!.Scores : []),
        ["training"] = Node(model.Report.Result),
        // The leaderboard and the fold-by-fold scores, as the model file keeps them; null for one network.
        ["search"] = Node(model.ToDocument().Report!.Search),
        ["importance"] = Importance(model.Importance),
        ["intervals"] = Intervals(model.ToDocument().Intervals),
        ["warnings"] = Node(model.Report.Warnings),
        ["files"] = new JsonObject
        {
            ["model"] = modelPath,
            ["plots"] = Node(plots),
            ["checkpoint"] = checkpoint,
        },
    };

    public static JsonObject Evaluate(string modelPath, string dataPath, TableModel model, FileScores scores) => new()
    {
        ["command"] = "evaluate",
        ["model"] = modelPath,
        ["data"] = dataPath,
        ["rows_scored"] = scores.Scored.Rows.Rows,
        ["rows_left_out"] = new JsonObject
        {
            ["missing_target"] = scores.MissingTargetRows,
            ["missing_features"] = scores.DroppedRows - scores.MissingTargetRows,
        },
        ["scores"] = Node(new[] { scores.Scored.ToDocument(model.TargetNames) }),
        ["warnings"] = Node(scores.Warnings),
    };

    public static JsonObject Predict(string output, PredictionSummary summary) => new()
    {
        ["command"] = "predict",
        ["rows"] = summary.Rows,
        ["rows_without_prediction"] = summary.DroppedRows,
        ["output"] = output,
        ["warnings"] = Node(summary.Warnings),
    };

    public static JsonObject Inspect(string path, TableModel model)
    {
        var d = model.ToDocument();
        var m = model.Members[0];
        return new JsonObject
        {
            ["command"] = "inspect",
            ["file"] = path,
            ["format"] = d.Format,
            ["version"] = d.Version,
            ["created"] = d.Created,
            ["writer"] = d.Writer,
            ["precision"] = Node(d.Precision),
            ["inputs"] = m.FeatureCount,
            ["layers"] = Node(m.Layers.Select(l => new { l.Units, l.Activation })),
            ["parameters"] = model.Members.Sum(n => n.ParameterCount),
            ["members"] = model.Members.Count,
            ["target_transform"] = Node(model.TargetTransform),
            ["targets"] = Node(model.TargetNames),
            ["missing"] = Node(model.Encoder.Missing),
            ["ignored"] = Node(d.Table!.Ignore),
            ["columns"] = Node(d.Table.Columns.Select(c => new { c.Name, c.Kind, Inputs = c.Categories?.Count ?? 1 })),
            ["options"] = Node(m.Options),
            ["trained_on"] = Node(d.Data),
            ["epochs"] = m.History.Epochs.Count,
            ["training"] = Node(d.Result),
            // The search's leaderboard and fold scores are in the report, under "search".
            ["report"] = Node(d.Report),
            ["importance"] = Importance(d.Importance),
            ["intervals"] = Intervals(d.Intervals),
        };
    }

    /// <summary>
    /// The <c>importance</c> node of <c>train</c> and <c>inspect</c>: every column with its MSE
    /// rise and R^2 drop and their spreads, most important first, as the model file keeps them; null
    /// when the model has none.
    /// </summary>
    public static JsonNode? Importance(ImportanceDocument? importance) => Node(importance);

    /// <summary>
    /// The <c>intervals</c> node of <c>train</c> and <c>inspect</c>: the method and its calibration's
    /// size (the residuals themselves stay in the model file); null when the model has none.
    /// </summary>
    public static JsonNode? Intervals(IntervalsDocument? intervals) => intervals is null ? null : new JsonObject
    {
        ["method"] = intervals.Method,
        ["folds"] = intervals.Targets[0].Folds.Count,
        ["calibration_rows"] = intervals.Targets[0].Folds.Sum(f => f.Rows),
    };

    public static void Write(Io io, JsonObject document)
    {
        io.Out.WriteLine(document.ToJsonString(Options));
        io.Out.Flush();
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, Options);
}
