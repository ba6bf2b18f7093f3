namespace Backprop.Kernels;

/// <summary>
/// Runs a job split in two halves: half 0 on the calling thread, half 1 on one long-lived partner
/// thread that spins for a while between jobs, so that the back-to-back products of a training step
/// hand work over in well under a microsecond instead of waking a pool thread each time.
/// </summary>
/// <remarks>
/// Nothing is allocated per job: the job is a function pointer and a pointer to the caller's state,
/// which stays alive on the caller's stack until both halves are done. If another thread is already
/// using the partner, the caller runs both halves itself; kernels split their work by shape, not by
/// thread, so the results are the same either way. So does a caller whose partner has not taken
/// the second half by the time the first is done: on a machine with more runnable threads than
/// cores the partner may not be scheduled for milliseconds, and waiting for it would cost more
/// than the half.
/// </remarks>
internal static unsafe class PartnerThread
{
    // How long the partner keeps spinning for the next job before it goes to sleep.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 500;

    private const int Idle = 0, Posted = 1, Done = 2, Running = 3;

    private static readonly object StartLock = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread? s_thread;
    private static int s_owned;
    private static int s_state;
    private static int s_sleeping;
    private static delegate*<void*, int, void> s_work;
    private static void* s_argument;
    private static Exception? s_failure;

    /// <summary>
    /// Runs <c>work(argument, 0)</c> and <c>work(argument, 1)</c>: with two threads or more side by side
    /// (here and on the partner), with one thread one after the other. Returns when both are done.
    /// </summary>
    public static void Run(delegate*<void*, int, void> work, void* argument, int threads = 2)
    {
        if (threads < 2 || Interlocked.CompareExchange(ref s_owned, 1, 0) != 0)
        {
            work(argument, 0);
            work(argument, 1);
            return;
        }
        try
        {
            EnsureStarted();
            s_work = work;
            s_argument = argument;
            Volatile.Write(ref s_state, Posted);
            if (Interlocked.Exchange(ref s_sleeping, 0) == 1)
                Wake.Release();
            bool reclaimed;
            try
            {
                work(argument, 0);
            }
            finally
            {
                // A second half the partner has not taken is taken back; one it has is waited for,
                // even if this half threw, since the partner reads the caller's state.
                reclaimed = Interlocked.CompareExchange(ref s_state, Idle, Posted) == Posted;
                if (!reclaimed)
                {
                    SpinUntil(ref s_state, Done);
                    Volatile.Write(ref s_state, Idle);
                }
            }
            if (reclaimed)
                work(argument, 1);
            if (s_failure is { } failure)
            {
                s_failure = null;
                throw new AggregateException(failure);
            }
        }
        finally
        {
            Volatile.Write(ref s_owned, 0);
        }
    }

    /// <summary>
    /// Waits for <paramref name="state"/> to hold <paramref name="value"/>, spinning and yielding now
    /// and then but never sleeping: the wait is for the other thread's share of the same job.
    /// </summary>
    public static void SpinUntil(ref int state, int value)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref state) != value)
            spinner.SpinOnce(sleep1Threshold: -1);
    }

    private static void EnsureStarted()
    {
        if (s_thread is not null)
            return;
        lock (StartLock)
        {
            if (s_thread is not null)
                return;
            var thread = new Thread(Loop) { IsBackground = true, Name = "Backprop kernel partner" };
            thread.Start();
            s_thread = thread;
        }
    }

    private static void Loop()
    {
        while (true)
        {
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_state) != Posted)
            {
                // The spinner yields now and then, so a busy machine gets its core back.
                if (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                // Announce the nap, then look once more: a job posted in between is not missed,
                // because its poster sees the flag and releases the semaphore. The announcement is a
                // full fence: with a plain store the look below could be served before the store is
                // visible, the poster would see no sleeper, and both threads would wait for ever.
                Interlocked.Exchange(ref s_sleeping, 1);
                if (Volatile.Read(ref s_state) != Posted)
                    Wake.Wait();
                Volatile.Write(ref s_sleeping, 0);
                deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                spinner.Reset();
            }
            // The caller may have taken the job back while this thread was waking.
            if (Interlocked.CompareExchange(ref s_state, Running, Posted) != Posted)
                continue;
            try
            {
                s_work(s_argument, 1);
            }
            catch (Exception e)
            {
                s_failure = e;
            }
            Volatile.Write(ref s_state, Done);
        }
    }
}
