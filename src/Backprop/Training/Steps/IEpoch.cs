using System.Diagnostics;

namespace Backprop.Training.Steps;

/// <summary>One epoch's work over one set of rows, run again for every epoch with the buffers it keeps.</summary>
internal interface IEpoch
{
    /// <summary>Trains one epoch at <paramref name="rate"/>, stopping between steps when the run's clock passes the time budget or on cancellation.</summary>
    EpochOutcome Run(double rate, Stopwatch clock, CancellationToken cancellationToken);
}
