using Backprop.Data.Columns;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Search;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>
/// What a loaded and a streamed fit share: reporting progress and warnings, writing checkpoints
/// between epochs, and turning the fitted network into a scored <see cref="TableModel"/>.
/// </summary>
internal sealed class FitRun(IProgress<TableProgress>? progress)
{
    private readonly List<string> _warnings = [];
    private readonly List<string> _notices = [];
    private DataSummary? _data;

    public void Report(TableProgress value)
    {
        if (value is TableProgress.DataRead read)
            _data = read.Data;
        progress?.Report(value);
    }

    public void Warn(string message)
    {
        _warnings.Add(message);
        Report(new TableProgress.Warning(message));
    }

    public void Notice(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            _notices.Add(message);
            Report(new TableProgress.Notice(message));
        }
    }

    /// <summary>The epoch callback: a checkpoint when one is due (the trainer's state is settled between epochs), then progress.</summary>
    public IProgress<EpochRecord> Epochs(MlpRegressor model, TableEncoder encoder, DataFingerprint? trainedOn, TableOptions options) =>
        new Reporter(record =>
        {
            if (options.Checkpoint is { } checkpoint && record.Epoch % options.CheckpointEvery == 0)
                CheckpointFile.Write(new CheckpointDocument(TableModel.Describe(model, encoder, trainedOn), model.CaptureTrainingState()), checkpoint);
            progress?.Report(new TableProgress.Epoch(record));
        });

    public TableModel Finish(Ensemble model, TableEncoder encoder, DataFingerprint trainedOn, TrainingResult result, IEnumerable<(string Name, DataSet Rows)> parts, int? streamedRows = null) =>
        Finish(model, encoder, trainedOn, result, parts, search: null, crossValidation: null, streamedRows);

    /// <summary>The scored model; <paramref name="parts"/> are scored by the whole model, after any already scored (<paramref name="scored"/>).</summary>
    public TableModel Finish(Ensemble model, TableEncoder encoder, DataFingerprint trainedOn, TrainingResult result, IEnumerable<(string Name, DataSet Rows)> parts,
        SearchReport? search, CrossValidation? crossValidation, int? streamedRows = null, IEnumerable<ScoredRows>? scored = null)
    {
        var data = streamedRows is int n ? _data! with { Rows = n, TrainRows = n } : _data!;
        // A diverged network predicts NaN; there is nothing to score.
        var scores = result.Reason == StopReason.Diverged ? [] : (scored ?? []).Concat(parts.Select(p => new ScoredRows(p.Name, p.Rows, model.Score(p.Rows)))).ToArray();
        var report = new TableReport { Data = data, Scores = scores, Warnings = _warnings.ToArray(), Notices = _notices.ToArray(), Result = result, Search = search };
        return new TableModel(model, encoder, trainedOn, report, crossValidation: crossValidation);
    }

    /// <summary>Reports on the training thread itself (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class Reporter(Action<EpochRecord> report) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => report(value);
    }
}
