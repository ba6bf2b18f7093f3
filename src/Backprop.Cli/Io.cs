using Spectre.Console;

namespace Backprop.Cli;

/// <summary>Where a command writes: stdout for results, stderr for errors and warnings.</summary>
internal sealed class Io
{
    public Io(TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancel)
    {
        Out = stdout;
        Err = stderr;
        Interactive = interactive;
        Cancel = cancel;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
            Console.Profile.Width = 120;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>True when stdout is a terminal: live progress bars and colour.</summary>
    public bool Interactive { get; }

    public CancellationToken Cancel { get; }

    /// <summary>Spectre.Console bound to <see cref="Out"/>, for tables and progress.</summary>
    public IAnsiConsole Console { get; }

    public bool Verbose { get; set; }

    public void Warn(string message) => Err.WriteLine("warning: " + message);

    /// <summary>Something the user should know that needs no fixing (a column left out, a row counter).</summary>
    public void Note(string message) => Err.WriteLine("note: " + message);
}
