using Backprop.Losses;

namespace Backprop.Training;

/// <summary>
/// How to train: optimizer, learning rate and schedule, batching, regularisation, stopping.
/// Every property has a default; <see cref="Validate"/> checks them all before training starts and
/// says which one is wrong and what is allowed.
/// </summary>
public record TrainingOptions
{
    /// <summary>Passes over the training data (for L-BFGS: iterations). Default 200.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Rows per gradient step: 1 is online learning as in the seed; larger than the data means full batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Reshuffle the rows before every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Base learning rate eta (ignored by RPROP and L-BFGS). Default 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Momentum mu for Momentum and Nesterov. Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Adam's beta1. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's beta2. Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's epsilon. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>AdamW's decoupled weight decay (weights only, not biases). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>L-BFGS's number of remembered updates. Default 10.</summary>
    public int LbfgsMemory { get; init; } = 10;

    /// <summary>RPROP's starting step size for every parameter. Default 0.1.</summary>
    public double RpropInitialStep { get; init; } = 0.1;

    /// <summary>
    /// The learning-rate schedule. Default constant here, so that the low-level trainer does exactly
    /// what its options say; <c>RegressorOptions</c> defaults to reduce-on-plateau.
    /// </summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>Exponent of the inverse-scaling schedule. Default 0.5.</summary>
    public double PowerT { get; init; } = 0.5;

    /// <summary>Epochs between decays of the step-decay schedule. Default 10.</summary>
    public int StepSize { get; init; } = 10;

    /// <summary>Factor of the step-decay and reduce-on-plateau schedules, in (0, 1). Default 0.5.</summary>
    public double Gamma { get; init; } = 0.5;

    /// <summary>Floor of the cosine and reduce-on-plateau schedules. Default 0.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Epochs without improvement before reduce-on-plateau lowers the rate. Default 5.</summary>
    public int PlateauPatience { get; init; } = 5;

    /// <summary>The per-value loss. Default the seed's squared error.</summary>
    public LossKind Loss { get; init; } = LossKind.SquaredError;

    /// <summary>Huber's delta, in the (scaled) target's units. Default 1.</summary>
    public double HuberDelta { get; init; } = 1.0;

    /// <summary>L2 penalty lambda: the loss gains lambda/2 * sum of squared weights (biases are not penalised). Default 0.</summary>
    public double L2 { get; init; }

    /// <summary>Rescale any gradient whose Euclidean norm exceeds this; null for no clipping. Default null.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Stop when the validation loss stops improving, and restore the best epoch. Default true.</summary>
    public bool EarlyStopping { get; init; } = true;

    /// <summary>Fraction of rows held out for validation when no validation set is given. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Epochs without an improvement larger than <see cref="Tolerance"/> before stopping. Default 10
    /// here; <c>RegressorOptions</c> defaults to 20 to go with its reduce-on-plateau schedule.
    /// </summary>
    public int Patience { get; init; } = 10;

    /// <summary>How much the monitored loss must fall to count as an improvement. Default 1e-4.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Stop after this much wall-clock time (checked between steps); null for none.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Seed of every random choice (initial weights, shuffles, validation split). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads the kernels may use; 0 means all cores. Results do not depend on it. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// The fast paths training may take (all by default); each gives the reference path's bits, so
    /// this changes speed only. Off, every step runs the reference path: the tests' way to reach it.
    /// </summary>
    internal FastPaths FastPaths { get; init; } = FastPaths.All;

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;

    internal LossFunction LossFunction => new(Loss, HuberDelta);

    /// <summary>Checks every option; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public virtual void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1 (a batch larger than the data is fine and means full batch)");
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "must be one of " + string.Join(", ", Enum.GetNames<OptimizerKind>()));
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be a positive finite number, e.g. 0.001");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Require(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
        Require(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
        Require(Epsilon > 0 && double.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "must be positive");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "must be 0 or more");
        Require(LbfgsMemory >= 1, nameof(LbfgsMemory), LbfgsMemory, "must be at least 1");
        Require(RpropInitialStep > 0 && double.IsFinite(RpropInitialStep), nameof(RpropInitialStep), RpropInitialStep, "must be positive");
        Require(Enum.IsDefined(Schedule), nameof(Schedule), Schedule, "must be one of " + string.Join(", ", Enum.GetNames<ScheduleKind>()));
        Require(PowerT >= 0 && double.IsFinite(PowerT), nameof(PowerT), PowerT, "must be 0 or more");
        Require(StepSize >= 1, nameof(StepSize), StepSize, "must be at least 1");
        Require(Gamma > 0 && Gamma < 1, nameof(Gamma), Gamma, "must be in (0, 1)");
        Require(MinLearningRate >= 0 && double.IsFinite(MinLearningRate), nameof(MinLearningRate), MinLearningRate, "must be 0 or more");
        Require(PlateauPatience >= 0, nameof(PlateauPatience), PlateauPatience, "must be 0 or more");
        Require(Enum.IsDefined(Loss), nameof(Loss), Loss, "must be one of " + string.Join(", ", Enum.GetNames<LossKind>()));
        Require(HuberDelta > 0 && double.IsFinite(HuberDelta), nameof(HuberDelta), HuberDelta, "must be positive");
        Require(L2 >= 0 && double.IsFinite(L2), nameof(L2), L2, "must be 0 or more");
        Require(ClipNorm is null || (ClipNorm > 0 && double.IsFinite(ClipNorm.Value)), nameof(ClipNorm), ClipNorm, "must be positive, or null for no clipping");
        Require(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        Require(Patience >= 1, nameof(Patience), Patience, "must be at least 1");
        Require(Tolerance >= 0 && double.IsFinite(Tolerance), nameof(Tolerance), Tolerance, "must be 0 or more");
        Require(TimeBudget is null || TimeBudget > TimeSpan.Zero, nameof(TimeBudget), TimeBudget, "must be positive, or null for none");
        Require(Threads >= 0, nameof(Threads), Threads, "must be 0 (all cores) or more");
    }

    /// <summary>Throws when <paramref name="ok"/> is false, with a message naming the option, its value and what is allowed.</summary>
    protected static void Require(bool ok, string name, object? value, string allowed)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"{name} {allowed}; got {value ?? "null"}.");
    }
}
