using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Backprop.Data;
using Backprop.Serialization;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary>
/// The <c>backprop</c> command line, callable in-process: tests pass their own writers and read the
/// exit code. Exit codes: 0 success, 1 runtime failure (gradient check above threshold, a failed
/// write), 2 bad usage or bad input (a diverged run too), 130 interrupted (the token was cancelled).
/// </summary>
public static class CliApp
{
    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Results go here.</param>
    /// <param name="stderr">Errors and warnings go here, one line each.</param>
    /// <param name="cancel">Stops training cleanly: the best model so far is saved if an epoch completed, and the exit code is 130.</param>
    /// <param name="terminal">What <paramref name="stdout"/> is: a file or pipe (plain lines), or a terminal (live progress bar and colour).</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default, Terminal terminal = Terminal.None)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var io = new Io(stdout, stderr, terminal, cancel);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "More detail while running; stack traces on errors.", Recursive = true };
        var root = new Command("backprop",
            "backprop: train multilayer-perceptron regressors on CSV and Parquet files by backpropagation, and use them.\n\n" +
            "Examples:\n" +
            "  backprop train samples/diabetes.csv --target target\n" +
            "  backprop predict diabetes.model.json new_rows.csv --out predictions.csv\n" +
            "  backprop evaluate diabetes.model.json samples/diabetes.csv\n" +
            "  backprop explain --seed-example\n" +
            "  backprop inspect diabetes.model.json\n" +
            "  backprop export diabetes.model.json --onnx diabetes.onnx\n\n" +
            "Exit codes: 0 success, 1 runtime failure (gradient check above threshold, a write that failed), 2 bad usage or input " +
            "(also an output that cannot be written, a diverged training run), 130 interrupted by Ctrl+C, 143 stopped by SIGTERM " +
            "(train keeps the best model so far if an epoch completed).");
        var help = new HelpOption();
        root.Options.Add(new VersionOption());
        root.Options.Add(verbose);
        root.Subcommands.Add(TrainCommand.Create(io));
        root.Subcommands.Add(PredictCommand.Create(io));
        root.Subcommands.Add(EvaluateCommand.Create(io));
        root.Subcommands.Add(ExplainCommand.Create(io));
        root.Subcommands.Add(GradcheckCommand.Create(io));
        root.Subcommands.Add(InspectCommand.Create(io));
        root.Subcommands.Add(ExportCommand.Create(io));

        // Help lists each command by its first paragraph; the rest (examples, exit codes) is shown
        // after the options in that command's own --help.
        var details = new Dictionary<Command, string>();
        foreach (var c in root.Subcommands.Prepend(root))
        {
            int cut = c.Description!.IndexOf("\n\n", StringComparison.Ordinal);
            if (cut > 0)
            {
                details[c] = c.Description[(cut + 2)..];
                c.Description = c.Description[..cut];
            }
        }
        help.Action = new DetailsHelpAction((HelpAction)help.Action!, details);
        root.Options.Add(help);

        var parse = root.Parse(args);
        io.Verbose = parse.GetValue(verbose);
        if (parse.Action is ParseErrorAction || (parse.Errors.Count > 0 && parse.Action is null))
        {
            string command = parse.CommandResult.Command == root ? "backprop" : "backprop " + parse.CommandResult.Command.Name;
            // A mistyped command or option is the real problem, not the "required command" that follows from it.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors.FirstOrDefault();
            string message = error is not null ? Friendly(error.Message).TrimEnd('.') : "no command given";
            stderr.WriteLine($"error: {OneLine(message)}. See '{command} --help'.");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Sets a command's action: runs <paramref name="body"/> and turns every known error into one line and an exit code.</summary>
    internal static void SetAction(Command command, Io io, Func<ParseResult, int> body) =>
        command.SetAction(parse => Execute(io, () => body(parse)));

    internal static int Execute(Io io, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (message, code) = Describe(e);
            io.Err.WriteLine("error: " + OneLine(message));
            if (io.Verbose)
                io.Err.WriteLine(e.ToString());
            return code;
        }
    }

    private static (string Message, int Code) Describe(Exception e) => e switch
    {
        CliException c => (c.Message, c.ExitCode),
        DataFormatException d => (d.Message, ExitCodes.BadInput),
        ModelFormatException m => (m.Message, ExitCodes.BadInput),
        TableOptionsException t => (t.Format(OptionName), ExitCodes.BadInput),
        ArgumentOutOfRangeException a when a.ParamName is not null => (OptionMessage(a), ExitCodes.BadInput),
        FileNotFoundException f => (f.Message, ExitCodes.BadInput),
        DirectoryNotFoundException d => (d.Message, ExitCodes.BadInput),
        UnauthorizedAccessException u => (u.Message, ExitCodes.BadInput),
        IOException i => (i.Message, ExitCodes.Failure),
        _ => ($"internal error: {e.GetType().Name}: {e.Message} (run with --verbose for details, and please report it)", ExitCodes.Failure),
    };

    // The library names options by property (LearningRate); say which command-line option that is.
    private static string OptionMessage(ArgumentOutOfRangeException e)
    {
        string first = e.Message.Split('\n')[0];
        int cut = first.IndexOf(" (Parameter", StringComparison.Ordinal);
        if (cut > 0)
            first = first[..cut];
        return $"{OptionName(e.ParamName!)}: {first}";
    }

    // LearningRate -> --learning-rate, except the options named differently from their property.
    private static string OptionName(string property) => property switch
    {
        nameof(TableOptions.Targets) => "--target",
        nameof(TableOptions.MissingTokens) => "--na",
        nameof(TableOptions.DecimalSeparator) => "--decimal",
        nameof(TableOptions.TextColumns) => "--text",
        nameof(TableOptions.KeepColumns) => "--keep",
        nameof(TableOptions.HiddenLayers) => "--hidden",
        _ => "--" + string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };

    // "Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Nullable`1[System.Int32]'."
    private static string Friendly(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'");
        if (!m.Success)
            return message;
        string type = m.Groups[3].Value;
        string expected = type.Contains("Int32", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("UInt64", StringComparison.Ordinal) ? "a whole number, 0 or more"
            : type.Contains("Double", StringComparison.Ordinal) ? "a number such as 0.001" : "a valid value";
        return $"{m.Groups[2].Value}: '{m.Groups[1].Value}' is not {expected}";
    }

    internal static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");

    private sealed class DetailsHelpAction(HelpAction inner, IReadOnlyDictionary<Command, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int code = inner.Invoke(parseResult);
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(text.TrimEnd());
                output.WriteLine();
            }
            return code;
        }
    }
}
