namespace Backprop.Cli;

/// <summary>The process entry point: wires Ctrl+C to cancellation and runs <see cref="CliApp"/>.</summary>
public static class Program
{
    /// <summary>Runs the command line; the return value is the exit code (0 ok, 1 failure, 2 bad usage or input).</summary>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl+C asks training to stop and save; a second one ends the process.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return CliApp.Run(args, Console.Out, Console.Error, cancel.Token, interactive: !Console.IsOutputRedirected);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}
