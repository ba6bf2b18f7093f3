using Spectre.Console;

namespace Backprop.Cli;

/// <summary>Where a command writes: stdout for results, stderr for errors and warnings.</summary>
internal sealed class Io
{
    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Errors, warnings and notes.</param>
    /// <param name="terminal">What <paramref name="stdout"/> is.</param>
    /// <param name="cancel">Set by Ctrl+C or SIGTERM.</param>
    public Io(TextWriter stdout, TextWriter stderr, Terminal terminal, CancellationToken cancel)
    {
        Out = stdout;
        Err = stderr;
        Interactive = terminal != Terminal.None;
        Cancel = cancel;
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal switch { Terminal.Ansi => AnsiSupport.Yes, Terminal.Detect => AnsiSupport.Detect, _ => AnsiSupport.No },
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        };
        // A terminal declared ANSI-capable stays so whatever the environment says (TERM, CI variables).
        if (terminal == Terminal.Ansi)
            settings.Enrichment.UseDefaultEnrichers = false;
        Console = AnsiConsole.Create(settings);
        if (!Interactive)
            Console.Profile.Width = 120;
        // Spectre draws nothing of a live display on a terminal without ANSI (TERM unset or dumb),
        // so such a terminal gets the plain progress lines a pipe gets.
        LiveDisplay = Interactive && Console.Profile.Capabilities.Ansi && Console.Profile.Capabilities.Interactive;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>True when stdout is a terminal: box-drawn tables and colour.</summary>
    public bool Interactive { get; }

    /// <summary>True when the terminal can redraw a live progress bar in place.</summary>
    public bool LiveDisplay { get; }

    public CancellationToken Cancel { get; }

    /// <summary>Spectre.Console bound to <see cref="Out"/>, for tables and progress.</summary>
    public IAnsiConsole Console { get; }

    public bool Verbose { get; set; }

    public void Warn(string message) => Err.WriteLine("warning: " + message);

    /// <summary>Something the user should know that needs no fixing (a column left out, a row counter).</summary>
    public void Note(string message) => Err.WriteLine("note: " + message);
}
