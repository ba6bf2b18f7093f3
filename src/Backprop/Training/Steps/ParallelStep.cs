using Backprop.Kernels;
using Backprop.Optimizers;

namespace Backprop.Training.Steps;

/// <summary>
/// One optimizer step from a batch's gradient: its norm, the clipping, the update. A long
/// parameter buffer is measured and updated in two halves side by side when the optimizer's
/// update is elementwise (<see cref="IRangeOptimizer{T}"/>); whether a pass is cut depends on its
/// length alone, so the bits are the same on any number of threads.
/// </summary>
internal static unsafe class ParallelStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Parameters from which the passes over every parameter (norm, update) are cut in two. An
    // update costs several times what Halves.MinWork counts on per element (Adam's square root
    // and division), and the norm comes right before it, so both pay well below that.
    private const int MinParameterSplit = 1 << 13;

    /// <summary>
    /// Updates <paramref name="parameters"/> from <paramref name="gradients"/>, first rescaling the
    /// gradients to <paramref name="clipNorm"/> when their norm exceeds it.
    /// </summary>
    /// <returns>The gradient's Euclidean norm before clipping.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Run(IOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate, double? clipNorm, int threads)
    {
        if (clipNorm is null && optimizer is IRangeOptimizer<T> ranged)
            return Math.Sqrt(StepMeasuring(ranged, parameters, gradients, rate, threads));
        double norm = Math.Sqrt(SquaredNorm(gradients, threads));
        if (clipNorm is { } clip && norm > clip)
            VectorOps.Scale(gradients.AsSpan(), T.CreateTruncating(clip / norm));
        Step(optimizer, parameters, gradients, rate, threads);
        return norm;
    }

    // The gradient's squared norm; a long gradient is summed by halves, whatever the thread count.
    private static double SquaredNorm(T[] gradients, int threads)
    {
        if (gradients.Length < MinParameterSplit)
            return VectorOps.SumOfSquares<T>(gradients);
        var job = new NormJob { Values = gradients };
        Halves.Cut(gradients.Length, threads, Unsafe.AsPointer(ref job), &SquaresOfRange);
        return job.Low + job.High;
    }

    private struct NormJob
    {
        public T[] Values;
        public double Low, High;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquaresOfRange(void* state, int start, int end)
    {
        ref var job = ref Unsafe.AsRef<NormJob>(state);
        double sum = VectorOps.SumOfSquares<T>(job.Values.AsSpan(start, end - start));
        if (start == 0)
            job.Low = sum;
        else
            job.High = sum;
    }

    // One optimizer step; a long buffer is updated in two halves side by side when the
    // optimizer's update is elementwise (same bits either way).
    private static void Step(IOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate, int threads)
    {
        if (threads < 2 || parameters.Length < MinParameterSplit || optimizer is not IRangeOptimizer<T> ranged)
        {
            optimizer.Step(parameters, gradients, rate);
            return;
        }
        ranged.BeginStep(rate);
        var job = new StepJob { Optimizer = ranged, Parameters = parameters, Gradients = gradients };
        Halves.Cut(parameters.Length, threads, Unsafe.AsPointer(ref job), &UpdateRange);
    }

    // One optimizer step that also returns the gradient's squared norm. Without clipping the norm
    // is only reported, so it is summed in the update's pass, a cache-sized chunk at a time just
    // before the chunk is updated, instead of in a pass of its own over the whole gradient.
    private static double StepMeasuring(IRangeOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate, int threads)
    {
        optimizer.BeginStep(rate);
        var job = new StepJob { Optimizer = optimizer, Parameters = parameters, Gradients = gradients };
        if (parameters.Length < MinParameterSplit)
            MeasuredUpdateRange(Unsafe.AsPointer(ref job), 0, parameters.Length);
        else
            Halves.Cut(parameters.Length, threads, Unsafe.AsPointer(ref job), &MeasuredUpdateRange);
        return job.Low + job.High;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MeasuredUpdateRange(void* state, int start, int end)
    {
        const int Chunk = 2048;
        ref var job = ref Unsafe.AsRef<StepJob>(state);
        double sum = 0;
        for (int at = start; at < end; at += Chunk)
        {
            int length = Math.Min(Chunk, end - at);
            sum += VectorOps.SumOfSquares<T>(job.Gradients.AsSpan(at, length));
            job.Optimizer.UpdateRange(job.Parameters, job.Gradients, at, length);
        }
        if (start == 0)
            job.Low = sum;
        else
            job.High = sum;
    }

    private struct StepJob
    {
        public IRangeOptimizer<T> Optimizer;
        public T[] Parameters, Gradients;
        public double Low, High; // the squared norms of the two halves, when measured
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRange(void* state, int start, int end)
    {
        ref var job = ref Unsafe.AsRef<StepJob>(state);
        job.Optimizer.UpdateRange(job.Parameters, job.Gradients, start, end - start);
    }
}
