using Backprop.Kernels;

namespace Backprop.Inference;

/// <summary>
/// Runs a batch through one network or the average of several: the mean of the members'
/// predictions, summed in member order and divided by their number (for one member, its own
/// prediction). A large batch is shared with the kernels' partner thread, pass by pass; where a
/// row falls never changes its bits.
/// </summary>
internal static unsafe class Predictions
{
    // Multiply-adds in a batch below which handing part of it to the partner costs more than it gives.
    private const long MinSplitWork = 1 << 19;

    /// <summary>outputs: [rows, Outputs] = the members' mean on inputs: [rows, Features]; the lengths are the caller's to check.</summary>
    /// <param name="members">At least one, all of the same shape.</param>
    /// <param name="inputs">[rows, Features], row-major.</param>
    /// <param name="outputs">[rows, Outputs], written.</param>
    /// <param name="rows">Rows in the batch.</param>
    /// <param name="threads">Threads the batch may use.</param>
    public static void Run<TIn>(PackedModel[] members, ReadOnlySpan<TIn> inputs, Span<double> outputs, int rows, int threads)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        long work = 0;
        foreach (var member in members)
            work += member.MultiplyAdds;
        if (threads < 2 || rows <= PackedModel.RowsPerPass || rows * work < MinSplitWork)
        {
            RunRange(members, inputs, outputs, rows);
            return;
        }
        fixed (TIn* x = inputs)
        fixed (double* y = outputs)
        {
            var job = new Job<TIn> { Members = members, Inputs = x, Outputs = y, Rows = rows };
            PartnerThread.Run(&RunPasses<TIn>, Unsafe.AsPointer(ref job), threads);
        }
    }

    private struct Job<TIn> where TIn : unmanaged
    {
        public PackedModel[] Members;
        public TIn* Inputs;
        public double* Outputs;
        public int Rows;
        public int Taken; // passes handed out so far
    }

    // Both threads take passes of rows from a shared count until none are left, so that a thread
    // the machine does not schedule simply does fewer of them.
    private static void RunPasses<TIn>(void* state, int half)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        ref var job = ref Unsafe.AsRef<Job<TIn>>(state);
        int features = job.Members[0].Features, outputs = job.Members[0].Outputs;
        for (int pass = Interlocked.Increment(ref job.Taken) - 1; pass * PackedModel.RowsPerPass < job.Rows; pass = Interlocked.Increment(ref job.Taken) - 1)
        {
            int r0 = pass * PackedModel.RowsPerPass, n = Math.Min(PackedModel.RowsPerPass, job.Rows - r0);
            var x = new ReadOnlySpan<TIn>(job.Inputs + (long)r0 * features, n * features);
            var y = new Span<double>(job.Outputs + (long)r0 * outputs, n * outputs);
            RunRange(job.Members, x, y, n);
        }
    }

    private static void RunRange<TIn>(PackedModel[] members, ReadOnlySpan<TIn> inputs, Span<double> outputs, int rows)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        for (int m = 0; m < members.Length; m++)
        {
            if (typeof(TIn) == typeof(float))
                members[m].Forward(MemoryMarshal.Cast<TIn, float>(inputs), outputs, rows, add: m > 0);
            else
                members[m].Forward(MemoryMarshal.Cast<TIn, double>(inputs), outputs, rows, add: m > 0);
        }
        if (members.Length > 1)
        {
            double count = members.Length;
            var y = outputs[..(rows * members[0].Outputs)];
            for (int i = 0; i < y.Length; i++)
                y[i] /= count;
        }
    }
}
