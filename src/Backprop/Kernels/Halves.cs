namespace Backprop.Kernels;

/// <summary>
/// Cuts a pass over [0, length) in two halves when it is long enough to be worth it, running the
/// second half on the partner thread when there are two threads. Whether a pass is cut depends on
/// its size alone, so a reduction summed by halves has the same bits on any number of threads.
/// </summary>
internal static unsafe class Halves
{
    // Elements (or multiply-adds) below which a pass is not cut.
    public const long MinWork = 1 << 16;

    /// <summary>Runs <c>body(state, start, end)</c> once over everything, or once per half when the work is at least <see cref="MinWork"/>.</summary>
    public static void For(int length, long work, int threads, void* state, delegate*<void*, int, int, void> body)
    {
        if (work < MinWork)
        {
            body(state, 0, length);
            return;
        }
        Cut(length, threads, state, body);
    }

    /// <summary>Runs <c>body(state, start, end)</c> once per half, whatever the length (the caller has judged it worth it).</summary>
    public static void Cut(int length, int threads, void* state, delegate*<void*, int, int, void> body)
    {
        if (length < 2)
        {
            body(state, 0, length);
            return;
        }
        var job = new Job { Length = length, State = state, Body = body };
        PartnerThread.Run(&RunHalf, &job, threads);
    }

    private struct Job
    {
        public int Length;
        public void* State;
        public delegate*<void*, int, int, void> Body;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunHalf(void* argument, int half)
    {
        var job = (Job*)argument;
        int middle = job->Length / 2;
        if (half == 0)
            job->Body(job->State, 0, middle);
        else
            job->Body(job->State, middle, job->Length);
    }
}
