using Backprop.Inference;
using Backprop.Layers;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Preprocessing;
using Backprop.Training;

namespace Backprop.Regression;

// The regressor's arithmetic in one precision; MlpRegressor talks to it in doubles.
internal interface IRegressorCore
{
    int ParameterCount { get; }

    History History { get; }

    int EpochsCompleted { get; }

    TrainingResult Fit(DataSet train, DataSet? validation, IProgress<EpochRecord>? progress, CancellationToken cancellationToken, bool continueRun = false);

    TrainingResult FitStream(Func<IEnumerable<DataSet>> epochChunks, DataSet? validation, IProgress<EpochRecord>? progress, CancellationToken cancellationToken);

    TrainerState CaptureState();

    void RestoreState(TrainerState state);

    PackedModel Pack(Standardizer? inputScaler, Standardizer? targetScaler);

    double[] GetParameters();

    void SetParameters(ReadOnlySpan<double> values);

    Network<double> ToDoubleNetwork();

    IReadOnlyList<DenseLayer> Layers { get; }
}

internal sealed class RegressorCore<T> : IRegressorCore where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly RegressorOptions _options;
    private Trainer<T>? _trainer;
    private readonly History _restoredHistory = new();

    public RegressorCore(int features, int outputs, RegressorOptions options, bool initialize)
    {
        _options = options;
        _network = Network<T>.Create(features, options.HiddenLayers, options.Activation, outputs);
        if (initialize)
            _network.Initialize(new Rng(options.Seed), options.Init);
    }

    public int ParameterCount => _network.Parameters.Length;

    public IReadOnlyList<DenseLayer> Layers => _network.Layers;

    public History History => _trainer?.History ?? _restoredHistory;

    public int EpochsCompleted => _trainer?.EpochsCompleted ?? _restoredHistory.Epochs.Count;

    public void RestoreHistory(IEnumerable<EpochRecord> records) => _restoredHistory.AddRange(records);

    public TrainingResult Fit(DataSet train, DataSet? validation, IProgress<EpochRecord>? progress, CancellationToken cancellationToken, bool continueRun = false) =>
        Trainer.Fit(Convert(train), validation is null ? null : Convert(validation), progress, cancellationToken, continueRun);

    public TrainingResult FitStream(Func<IEnumerable<DataSet>> epochChunks, DataSet? validation, IProgress<EpochRecord>? progress, CancellationToken cancellationToken) =>
        Trainer.FitStream(() => epochChunks().Select(Convert), validation is null ? null : Convert(validation), progress, cancellationToken);

    public TrainerState CaptureState() => Trainer.CaptureState();

    public void RestoreState(TrainerState state) => Trainer.RestoreState(state);

    private Trainer<T> Trainer
    {
        get
        {
            if (_trainer is null)
            {
                _trainer = new Trainer<T>(_network, _options);
                _trainer.History.AddRange(_restoredHistory.Epochs);
            }
            return _trainer;
        }
    }

    public PackedModel Pack(Standardizer? inputScaler, Standardizer? targetScaler) => PackedModel.Create(_network, inputScaler, targetScaler);

    public double[] GetParameters() => _network.Parameters.Select(double.CreateTruncating).ToArray();

    public void SetParameters(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            _network.Parameters[i] = T.CreateTruncating(values[i]);
    }

    public Network<double> ToDoubleNetwork()
    {
        var copy = new Network<double>(_network.InputCount, _network.Layers.Select(l => new LayerSpec(l.Units, l.Activation)).ToArray());
        for (int i = 0; i < copy.Parameters.Length; i++)
            copy.Parameters[i] = double.CreateTruncating(_network.Parameters[i]);
        return copy;
    }

    private static TrainingData<T> Convert(DataSet data) => new(
        Array.ConvertAll(data.Inputs, T.CreateTruncating),
        Array.ConvertAll(data.Targets, T.CreateTruncating),
        data.Features,
        data.Outputs,
        data.Weights is null ? null : Array.ConvertAll(data.Weights, T.CreateTruncating));
}
