namespace Backprop.Cli;

/// <summary>What the standard output of a command is, which decides how it draws progress and tables.</summary>
public enum Terminal
{
    /// <summary>A file or a pipe: plain lines and ASCII tables, for scripts and logs.</summary>
    None,

    /// <summary>A terminal whose abilities are read from the environment (TERM and the like).</summary>
    Detect,

    /// <summary>A terminal known to understand ANSI escapes: a live progress bar whatever the environment says.</summary>
    Ansi,
}
