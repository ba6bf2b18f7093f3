namespace Backprop.Training;

/// <summary>Every epoch's record, in order, across warm starts.</summary>
public sealed class History
{
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>The records so far.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The last record, or null before training.</summary>
    public EpochRecord? Last => _epochs.Count > 0 ? _epochs[^1] : null;

    internal void Add(EpochRecord record) => _epochs.Add(record);

    internal void AddRange(IEnumerable<EpochRecord> records) => _epochs.AddRange(records);

    internal void TruncateTo(int count) => _epochs.RemoveRange(count, _epochs.Count - count);
}
