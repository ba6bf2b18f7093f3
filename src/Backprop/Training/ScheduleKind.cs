namespace Backprop.Training;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum ScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>eta / (epoch + 1)^PowerT.</summary>
    InverseScaling,

    /// <summary>eta * Gamma^(epoch / StepSize).</summary>
    StepDecay,

    /// <summary>Half a cosine from eta down to MinLearningRate over the epochs.</summary>
    Cosine,

    /// <summary>eta * Gamma each time the monitored loss stalls for PlateauPatience epochs.</summary>
    ReduceOnPlateau,
}
