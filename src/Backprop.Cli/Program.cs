using System.Runtime.InteropServices;

namespace Backprop.Cli;

/// <summary>The process entry point: wires Ctrl+C and SIGTERM to cancellation and runs <see cref="CliApp"/>.</summary>
public static class Program
{
    /// <summary>
    /// Runs the command line; the return value is the exit code (0 ok, 1 failure, 2 bad usage or
    /// input, 130 interrupted by Ctrl+C, 143 by SIGTERM).
    /// </summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var cancel = new CancellationTokenSource();
        // Only training has something to keep: it stops at the next step and saves what it has.
        // Every other command, and a second signal, stops at once; what they write is atomic, so
        // stopping leaves the previous file or the complete new one, never half of one.
        bool graceful = args.FirstOrDefault(a => !a.StartsWith('-')) == "train";
        int signalled = 0;
        void OnSignal(PosixSignalContext context)
        {
            int code = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
            if (graceful && Interlocked.CompareExchange(ref signalled, code, 0) == 0)
            {
                context.Cancel = true;
                Console.Error.WriteLine("Stopping after the current step (interrupt again to stop at once without saving)...");
                cancel.Cancel();
                return;
            }
            context.Cancel = true;
            Console.Error.WriteLine("Stopped at once; nothing more was written.");
            Console.Error.Flush();
            Environment.Exit(code);
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        int exit = CliApp.Run(args, Console.Out, Console.Error, cancel.Token, Console.IsOutputRedirected ? Terminal.None : Terminal.Detect);
        // CliApp reports any interruption as Ctrl+C's code; the signal that came decides.
        return exit == ExitCodes.Interrupted && signalled != 0 ? signalled : exit;
    }
}
