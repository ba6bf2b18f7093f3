using System.Diagnostics;
using Backprop.Cli;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

// Ctrl+C and SIGTERM: a run keeps a model only when it trained one, never replaces a good file with
// an untrained one, and always ends with the signal's exit code. The signals are real ones sent to a
// CLI process; the moment before the first epoch is reached in-process with a token cancelled from
// the start, the one moment a signal cannot hit on purpose.
public sealed class InterruptTests : IDisposable
{
    private const int SigInt = 2, SigTerm = 15;
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    // Never ends by itself: only a signal stops it.
    private string[] Endless(string model, string hidden = "64") =>
        ["train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--search", "none", "--hidden", hidden, "--epochs", "1000000", "--patience", "1000000", "--out", model];

    private string ExistingModel()
    {
        string model = _h.PathOf("good.model.json");
        var (code, _, err) = _h.Run("train", CliHarness.Sample("diabetes.csv"), "--target", "target", "--search", "none", "--hidden", "8", "--epochs", "3", "--out", model, "--no-plots", "--quiet");
        Assert.True(code == 0, err);
        return model;
    }

    [Fact]
    public void Ctrl_C_before_the_first_epoch_writes_nothing_and_exits_130()
    {
        string model = ExistingModel();
        byte[] before = File.ReadAllBytes(model);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = CliApp.Run(Endless(model), stdout, stderr, new CancellationToken(canceled: true));

        Assert.Equal(130, code);
        Assert.Equal(before, File.ReadAllBytes(model));
        Assert.False(Directory.Exists(_h.PathOf("good.plots")), "plots were written for a model that was not");
        Assert.Contains("Interrupted before the first epoch completed; nothing was written", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Model written", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ctrl_C_after_the_first_epoch_saves_the_best_model_and_exits_130()
    {
        string model = ExistingModel();
        byte[] before = File.ReadAllBytes(model);

        using var run = CliProcess.Start(Endless(model));
        run.WaitForOutput("epoch 1/");
        run.Signal(SigInt);
        var (code, _, err) = run.Finish();

        Assert.True(code == 130, $"exit {code}: {err}");
        Assert.Contains("Interrupted after", err, StringComparison.Ordinal);
        Assert.Contains("saved the best model so far", err, StringComparison.Ordinal);
        Assert.NotEqual(before, File.ReadAllBytes(model));
        var saved = ModelFile.Read(model);
        Assert.NotEmpty(saved.History!);
        Assert.Equal(Backprop.Training.StopReason.Cancelled, saved.Result!.Reason);
        Assert.NotNull(saved.Report);
    }

    [Fact]
    public void SIGTERM_after_the_first_epoch_saves_and_exits_143()
    {
        string model = _h.PathOf("term.model.json");

        using var run = CliProcess.Start(Endless(model));
        run.WaitForOutput("epoch 1/");
        run.Signal(SigTerm);
        var (code, _, err) = run.Finish();

        Assert.True(code == 143, $"exit {code}: {err}");
        Assert.NotEmpty(ModelFile.Read(model).History!);
    }

    [Fact]
    public void A_second_Ctrl_C_stops_at_once_without_writing()
    {
        string model = ExistingModel();
        byte[] before = File.ReadAllBytes(model);

        // A big network makes saving slow enough (hundreds of thousands of weights as JSON) that the
        // second signal lands while the first is still being honoured.
        using var run = CliProcess.Start(Endless(model, hidden: "512,512"));
        run.WaitForOutput("epoch 1/");
        run.Signal(SigInt);
        run.WaitForError("Stopping after the current step");
        run.Signal(SigInt);
        var (code, _, err) = run.Finish();

        Assert.True(code == 130, $"exit {code}: {err}");
        Assert.Contains("Stopped at once; nothing more was written.", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    /// <summary>The CLI as a child process whose output is read line by line as it comes.</summary>
    private sealed class CliProcess : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
        private readonly Process _process;
        private readonly List<string> _out = [], _err = [];
        private readonly object _gate = new(); // a Monitor, not a Lock: WaitFor waits on it

        private CliProcess(Process process) => _process = process;

        public static CliProcess Start(string[] args)
        {
            HearInterrupts();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Backprop.Cli.dll"));
            foreach (var a in args)
                start.ArgumentList.Add(a);
            var run = new CliProcess(new Process { StartInfo = start });
            run._process.OutputDataReceived += (_, e) => run.Add(run._out, e.Data);
            run._process.ErrorDataReceived += (_, e) => run.Add(run._err, e.Data);
            run._process.Start();
            run._process.BeginOutputReadLine();
            run._process.BeginErrorReadLine();
            return run;
        }

        public void WaitForOutput(string text) => WaitFor(_out, text);

        public void WaitForError(string text) => WaitFor(_err, text);

        // Straight through libc rather than the kill program, which a minimal machine may lack.
        public void Signal(int signal) =>
            Assert.True(Kill(_process.Id, signal) == 0, "kill failed: the process had already ended");

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);

        // A test run started in the background by a shell without job control inherits SIGINT
        // ignored, and a process that starts with SIGINT ignored keeps ignoring it (as it should:
        // Ctrl+C is not meant for background jobs), so the child would never see the signal under
        // test. Only an ignored SIGINT is changed, to the default the child's runtime then replaces.
        private static unsafe void HearInterrupts()
        {
            const nint Ignored = 1, Default = 0;
            byte* current = stackalloc byte[256]; // larger than any platform's struct sigaction
            if (SignalAction(SigInt, null, current) == 0 && *(nint*)current == Ignored)
                SignalHandler(SigInt, Default);
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sigaction")]
        private static extern unsafe int SignalAction(int signal, byte* action, byte* old);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "signal")]
        private static extern nint SignalHandler(int signal, nint handler);

        public (int Code, string Out, string Err) Finish()
        {
            Assert.True(_process.WaitForExit(Patience), "the process did not stop after the signal");
            _process.WaitForExit(); // drains the output events
            lock (_gate)
                return (_process.ExitCode, string.Join('\n', _out), string.Join('\n', _err));
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private void Add(List<string> lines, string? line)
        {
            if (line is null)
                return;
            lock (_gate)
            {
                lines.Add(line);
                Monitor.PulseAll(_gate);
            }
        }

        private void WaitFor(List<string> lines, string text)
        {
            var clock = Stopwatch.StartNew();
            lock (_gate)
            {
                while (!lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    Assert.False(_process.HasExited && clock.Elapsed > TimeSpan.FromSeconds(1), $"the process ended before printing '{text}':\n{string.Join('\n', _err)}");
                    Assert.True(clock.Elapsed < Patience, $"'{text}' never came");
                    Monitor.Wait(_gate, TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }
}
