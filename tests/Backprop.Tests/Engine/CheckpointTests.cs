using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// Capture at an epoch boundary, write, read, resume: the same bits as a run never interrupted.
public class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<RegressorOptions> Runs() => new()
    {
        new RegressorOptions { Epochs = 12, Seed = 3, HiddenLayers = [16, 8] },
        new RegressorOptions { Epochs = 12, Seed = 4, Optimizer = OptimizerKind.Nesterov, LearningRate = 0.01, Schedule = ScheduleKind.ReduceOnPlateau, PlateauPatience = 1, Precision = Precision.Double },
        new RegressorOptions { Epochs = 12, Seed = 5, Optimizer = OptimizerKind.Lbfgs, EarlyStopping = false, HiddenLayers = [8] },
        new RegressorOptions { Epochs = 12, Seed = 6, Optimizer = OptimizerKind.Rprop, BatchSize = 1000, Schedule = ScheduleKind.Cosine },
        new RegressorOptions { Epochs = 40, Seed = 7, Patience = 2, LearningRate = 0.05, HiddenLayers = [64, 64] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Resuming_from_any_epoch_equals_the_uninterrupted_run(RegressorOptions options)
    {
        var all = Datasets.Friedman1(400, seed: 21);
        var (train, validation) = all.HoldOut(0.2, 1);
        var straight = new MlpRegressor(options);
        var straightResult = straight.Fit(train, validation);

        foreach (int stopAfter in new[] { 1, 5 })
        {
            if (stopAfter >= straight.History.Epochs.Count)
                continue;
            string path = Path.Combine(_folder, $"c{stopAfter}.json");
            using var cts = new CancellationTokenSource();
            var first = new MlpRegressor(options);
            first.Fit(train, validation, new Progress(e =>
            {
                if (e.Epoch == stopAfter)
                {
                    CheckpointFile.Write(new CheckpointDocument(ModelFile.ToDocument(first), first.CaptureTrainingState()), path);
                    cts.Cancel();
                }
            }), cts.Token);

            var checkpoint = CheckpointFile.Read(path);
            var resumed = ModelFile.ToModel(checkpoint.Model);
            var result = resumed.Resume(checkpoint.Trainer, train, validation);
            Assert.Equal(straight.GetParameters(), resumed.GetParameters());
            Assert.Equal(straightResult.Reason, result.Reason);
            Assert.Equal(straightResult.BestEpoch, result.BestEpoch);
            Assert.Equal(straightResult.Hint, result.Hint);
            // The run's end is judged against the start of the run it continues, not against the
            // point where it was resumed.
            double start = straight.CaptureTrainingState().StartLoss;
            Assert.True(double.IsFinite(start));
            Assert.Equal(start, resumed.CaptureTrainingState().StartLoss);
            Assert.Equal(straight.History.Epochs.Select(h => h.TrainLoss), resumed.History.Epochs.Select(h => h.TrainLoss));
        }
    }

    [Fact]
    public void A_checkpoint_that_is_not_one_is_refused()
    {
        string path = Path.Combine(_folder, "x.json");
        File.WriteAllText(path, "{\"format\": \"backprop-model\", \"version\": 1}");
        Assert.Contains("not a Backprop checkpoint", Assert.Throws<ModelFormatException>(() => CheckpointFile.Read(path)).Message);
        File.WriteAllText(path, "{\"format\": \"backprop-checkpoint\", \"version\": 1, \"model\": ");
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => CheckpointFile.Read(path)).Message);
    }

    private sealed class Progress(Action<EpochRecord> action) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => action(value);
    }
}
