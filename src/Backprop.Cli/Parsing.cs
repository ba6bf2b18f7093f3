using System.Globalization;
using Backprop.Activations;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Losses;
using Backprop.Regression;
using Backprop.Tables;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>Turns option text into library values, with one-line errors that name the option and list what is allowed.</summary>
internal static class Parsing
{
    public static readonly (string Name, Activation Value)[] Activations =
        [("relu", Activation.Relu), ("tanh", Activation.Tanh), ("sigmoid", Activation.Sigmoid), ("leaky-relu", Activation.LeakyRelu),
         ("softplus", Activation.Softplus), ("gelu", Activation.Gelu), ("identity", Activation.Identity)];

    public static readonly (string Name, LossKind Value)[] Losses =
        [("squared", LossKind.SquaredError), ("absolute", LossKind.AbsoluteError), ("huber", LossKind.Huber)];

    public static readonly (string Name, OptimizerKind Value)[] Optimizers = [.. OptimizerRegistry.Names];

    public static readonly (string Name, ScheduleKind Value)[] Schedules = [.. ScheduleRegistry.Names];

    public static readonly (string Name, Precision Value)[] Precisions = [("float", Precision.Single), ("double", Precision.Double)];

    public static readonly (string Name, TableFormat Value)[] Formats = [("csv", TableFormat.Csv), ("parquet", TableFormat.Parquet)];

    public static readonly (string Name, MissingPolicy Value)[] MissingPolicies =
        [("impute", MissingPolicy.Impute), ("error", MissingPolicy.Error), ("drop", MissingPolicy.Drop), ("mean", MissingPolicy.Mean)];

    public static readonly (string Name, SearchMode Value)[] SearchModes = [("auto", SearchMode.Auto), ("none", SearchMode.None)];

    public static readonly (string Name, TargetTransform Value)[] TargetTransforms =
        [("auto", TargetTransform.Auto), ("none", TargetTransform.None), ("log", TargetTransform.Log)];

    public static string Names<T>((string Name, T Value)[] table) => string.Join("|", table.Select(t => t.Name));

    public static string NameOf<T>((string Name, T Value)[] table, T value) where T : struct, Enum =>
        table.FirstOrDefault(t => t.Value.Equals(value)).Name ?? value.ToString().ToLowerInvariant();

    public static T Choice<T>(string option, string text, (string Name, T Value)[] table)
    {
        string key = text.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (var (name, value) in table)
            if (name == key || name.Replace("-", "") == key.Replace("-", ""))
                return value;
        throw new CliException($"{option}: '{text}' is not one of {string.Join(", ", table.Select(t => t.Name))}.");
    }

    /// <summary>--member: which network of an ensemble explain and gradcheck look at.</summary>
    public static System.CommandLine.Option<int> MemberOption() => new("--member")
    {
        Description = "For a model that averages several networks (the search's fold networks): which network, 1 = the first. Default 1.",
        DefaultValueFactory = _ => 1,
        HelpName = "N",
    };

    /// <summary>The 0-based member --member names, checked against the model.</summary>
    public static int Member(int member, TableModel model)
    {
        if (member < 1 || member > model.Members.Count)
            throw new CliException($"--member must be between 1 and {model.Members.Count} (the model has {model.Members.Count} network{(model.Members.Count == 1 ? "" : "s")}); got {member}.");
        return member - 1;
    }

    /// <summary>Labelled targets in a member network's units (logged for a log-target model, then standardized), as explain and gradcheck show them.</summary>
    public static double[] NetworkTargets(TableModel model, double[] targets, int member, string path)
    {
        if (model.TargetTransform == TargetTransform.Log && targets.Any(t => !(t > 0)))
            throw new CliException($"{path}: the model was trained on the log of its target, so a target of 0 or less cannot be explained or checked; use rows whose target is positive.");
        return model.ScaleTargets(targets, member);
    }

    /// <summary>"64,64" -> [64, 64]; "none" or "0" -> [] (a linear model).</summary>
    public static int[] LayerSizes(string option, string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t is "none" or "0" or "")
            return [];
        var parts = t.Split([',', 'x', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 100_000)
                throw new CliException($"{option}: '{text}' is not a list of layer sizes such as 64,64 (each between 1 and 100000), or 'none' for a linear model.");
        }
        return sizes;
    }

    /// <summary>Comma lists and repeated options, flattened: ["a,b", "c"] -> [a, b, c].</summary>
    public static string[] Names(IEnumerable<string>? values) =>
        values is null ? [] : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    /// <summary>"90", "90s", "5m", "1.5h", "00:05:00".</summary>
    public static TimeSpan Duration(string option, string text)
    {
        string t = text.Trim().ToLowerInvariant();
        double factor = 1;
        if (t.EndsWith("ms", StringComparison.Ordinal))
            (t, factor) = (t[..^2], 0.001);
        else if (t.EndsWith('s'))
            t = t[..^1];
        else if (t.EndsWith('m'))
            (t, factor) = (t[..^1], 60);
        else if (t.EndsWith('h'))
            (t, factor) = (t[..^1], 3600);
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value))
            return TimeSpan.FromSeconds(value * factor);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            return span;
        throw new CliException($"{option}: '{text}' is not a duration such as 90s, 5m, 1h or 00:05:00.");
    }

    /// <summary>"," ";" "tab" "\t" "|".</summary>
    public static char Separator(string text) => text switch
    {
        "tab" or "\\t" or "\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "pipe" => '|',
        { Length: 1 } => text[0],
        _ => throw new CliException($"--separator: '{text}' is not one character; use , ; | or tab."),
    };

    /// <summary>--decimal: "." or "," (also "point", "comma").</summary>
    public static char Decimal(string text) => text switch
    {
        "." or "point" => '.',
        "," or "comma" => ',',
        _ => throw new CliException($"--decimal: '{text}' is not a decimal separator; use . or , (or leave it out to detect it)."),
    };

    /// <summary>The --no-header, --separator and --format options every command that reads data has.</summary>
    public static (System.CommandLine.Option<bool> NoHeader, System.CommandLine.Option<string?> Separator, System.CommandLine.Option<string?> Format) CsvOptions() =>
        (new System.CommandLine.Option<bool>("--no-header") { Description = "The first line is data; columns are named column1, column2, ..." },
         new System.CommandLine.Option<string?>("--separator") { Description = "Field separator (, ; | or tab); detected from the first line when not given.", HelpName = "CHAR" },
         new System.CommandLine.Option<string?>("--format") { Description = "The data file's format: csv (delimited text) or parquet. Default: by extension, .parquet being Parquet.", HelpName = "csv|parquet" });

    public static CsvOptions Csv(System.CommandLine.ParseResult p, (System.CommandLine.Option<bool> NoHeader, System.CommandLine.Option<string?> Separator, System.CommandLine.Option<string?> Format) o) =>
        new(!p.GetValue(o.NoHeader), p.GetValue(o.Separator) is { } s ? Separator(s) : null)
        {
            Format = p.GetValue(o.Format) is { } f ? Choice("--format", f, Formats) : TableFormat.Auto,
        };

    /// <summary>The --json option: one JSON document on stdout holding <paramref name="what"/>, and nothing else there.</summary>
    public static System.CommandLine.Option<bool> JsonOption(string what) =>
        new("--json") { Description = $"Write one JSON document to stdout ({what}) and nothing else there; warnings still go to stderr. Shape: docs/cli.md." };

    /// <summary>The --missing option of the commands that read data with a trained model: the model's policy unless given.</summary>
    public static System.CommandLine.Option<string?> MissingOverride() =>
        new("--missing") { Description = $"Empty feature fields in this file: {Names(MissingPolicies)}; impute and mean fill them with the model's fill values (the training median or mean; text: its missing category, else no category), error stops at the first, drop leaves the row out. Default: the model's own policy (see 'backprop inspect').", HelpName = "impute|error|drop|mean" };

    /// <summary>The model with the --missing policy the user gave, or as it is.</summary>
    public static Tables.TableModel WithMissing(System.CommandLine.ParseResult p, System.CommandLine.Option<string?> option, Tables.TableModel model) =>
        p.GetValue(option) is { } m ? model.WithMissing(Choice("--missing", m, MissingPolicies)) : model;

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
