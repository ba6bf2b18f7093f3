using System.Runtime.Intrinsics.X86;
using Backprop.Kernels;

namespace Backprop.Training.Steps;

/// <summary>
/// Copies a shuffled batch's rows, scattered over the whole table, into contiguous buffers for the
/// forward pass; a large batch is gathered by halves on two threads.
/// </summary>
internal sealed class BatchGather<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Values of a batch from which its gathering is shared between two threads.
    private const int MinGatherSplit = 1 << 11;

    private readonly TrainingData<T> _data;
    private readonly int[] _order;
    private readonly T[] _x, _y, _w;

    /// <summary>Buffers for batches of up to <paramref name="batch"/> rows of <paramref name="data"/>, taken in <paramref name="order"/>.</summary>
    public BatchGather(TrainingData<T> data, int[] order, int batch)
    {
        (_data, _order) = (data, order);
        _x = new T[batch * data.Features];
        _y = new T[batch * data.Outputs];
        _w = data.Weights is not null ? new T[batch] : [];
    }

    /// <summary>The gathered inputs, x: [batch, features].</summary>
    public T[] Inputs => _x;

    /// <summary>The gathered targets, y: [batch, outputs].</summary>
    public T[] Targets => _y;

    /// <summary>The gathered row weights (empty when the data has none).</summary>
    public T[] Weights => _w;

    /// <summary>
    /// Gathers the <paramref name="n"/> rows at positions [start, start + n) of the order. A short
    /// row is copied by a plain loop (a call per row would cost more than the copy), and the row a
    /// few places ahead is prefetched, so that its cache miss overlaps this row's copy instead of
    /// stalling the next.
    /// </summary>
    public unsafe void Gather(int start, int n, int threads)
    {
        if (threads < 2 || n * (_data.Features + _data.Outputs) < MinGatherSplit)
        {
            GatherRows(start, 0, n);
            return;
        }
        var job = new GatherJob { Gather = this, Start = start };
        Halves.Cut(n, threads, Unsafe.AsPointer(ref job), &GatherRange);
    }

    private struct GatherJob
    {
        public BatchGather<T> Gather;
        public int Start;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GatherRange(void* state, int r0, int r1)
    {
        ref var job = ref Unsafe.AsRef<GatherJob>(state);
        job.Gather.GatherRows(job.Start, r0, r1);
    }

    // Rows [r0, r1) of the batch that starts at position start of the order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void GatherRows(int start, int r0, int r1)
    {
        const int Ahead = 8, ShortRow = 32;
        int features = _data.Features, outputs = _data.Outputs;
        var order = _order.AsSpan(start, r1);
        ref T inputs = ref MemoryMarshal.GetArrayDataReference(_data.Inputs);
        ref T targets = ref MemoryMarshal.GetArrayDataReference(_data.Targets);
        ref T x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref T y = ref MemoryMarshal.GetArrayDataReference(_y);
        for (int r = r0; r < r1; r++)
        {
            int row = order[r];
            if (Sse.IsSupported && r + Ahead < r1)
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref inputs, order[r + Ahead] * features))); // a hint: a stale address does no harm
            ref T from = ref Unsafe.Add(ref inputs, row * features);
            ref T to = ref Unsafe.Add(ref x, r * features);
            if (features <= ShortRow)
            {
                for (int k = 0; k < features; k++)
                    Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
            }
            else
            {
                MemoryMarshal.CreateReadOnlySpan(ref from, features).CopyTo(MemoryMarshal.CreateSpan(ref to, features));
            }
            for (int k = 0; k < outputs; k++)
                Unsafe.Add(ref y, r * outputs + k) = Unsafe.Add(ref targets, row * outputs + k);
            if (_data.Weights is not null)
                _w[r] = _data.Weights[row];
        }
    }
}
