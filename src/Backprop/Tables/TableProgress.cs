using Backprop.Training;

namespace Backprop.Tables;

/// <summary>
/// What <see cref="TableModel.Fit"/> reports while it runs, in order: warnings about the data as
/// they are found, the data summary once the file is read and split, a note when a checkpoint is
/// resumed, then one record per epoch (or, for the search, one per network trained).
/// </summary>
public abstract record TableProgress
{
    private TableProgress()
    {
    }

    /// <summary>Something about the data the user should know; training goes on.</summary>
    public sealed record Warning(string Message) : TableProgress;

    /// <summary>
    /// Something about the columns worth knowing that needs no fixing: a column left out as useless
    /// (an identifier, a single value), a row counter, a name matched in another case.
    /// </summary>
    public sealed record Notice(string Message) : TableProgress;

    /// <summary>The data is read, encoded and split; training starts next.</summary>
    public sealed record DataRead(DataSummary Data) : TableProgress;

    /// <summary>Training continues from <paramref name="Checkpoint"/> after <paramref name="EpochsCompleted"/> epochs.</summary>
    public sealed record Resuming(string Checkpoint, int EpochsCompleted) : TableProgress;

    /// <summary>
    /// One more network of the cross-validated search is trained (reported instead of epochs, from
    /// whichever thread trained it, one report at a time).
    /// </summary>
    /// <param name="Round">The round under way, 1 to <paramref name="Rounds"/>.</param>
    /// <param name="Rounds">Rounds in the search (the first is cheap, the last trains on every fold).</param>
    /// <param name="FitsDone">Networks trained so far.</param>
    /// <param name="FitsTotal">Networks the search expects to train in all (it may revise this after the first round).</param>
    /// <param name="Elapsed">Time since the search started.</param>
    /// <param name="Remaining">An estimate of the time left, from the pace so far, within the time budget.</param>
    public sealed record Searching(int Round, int Rounds, int FitsDone, int FitsTotal, TimeSpan Elapsed, TimeSpan Remaining) : TableProgress;

    /// <summary>One epoch is done.</summary>
    public sealed record Epoch(EpochRecord Record) : TableProgress;
}
