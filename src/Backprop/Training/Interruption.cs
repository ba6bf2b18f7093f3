using System.Diagnostics;

namespace Backprop.Training;

/// <summary>Why a run must stop before its next step, if it must: checked before every step, so that even a long epoch stops promptly.</summary>
internal static class Interruption
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StopReason? BeforeStep(CancellationToken cancellationToken, TimeSpan? budget, Stopwatch clock) =>
        cancellationToken.IsCancellationRequested ? StopReason.Cancelled
        : budget is { } limit && clock.Elapsed >= limit ? StopReason.TimeBudget
        : null;
}
