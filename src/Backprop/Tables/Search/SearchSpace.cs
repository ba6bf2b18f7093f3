using Backprop.Activations;

namespace Backprop.Tables.Search;

/// <summary>
/// The fixed space the default search explores, and how cheaply it explores it (docs/defaults.md,
/// "The search"). Every candidate trains with the run's other options (optimizer, batch size,
/// schedule, epochs, patience, loss, precision).
/// </summary>
/// <param name="Networks">The candidates, each with the target transform None; the log variants are added when the target calls for them.</param>
/// <param name="FirstRoundFolds">Folds each candidate is scored on in the cheap first round.</param>
/// <param name="FirstRoundEpochShare">The share of the epoch limit (and of the patience) the first round allows.</param>
/// <param name="Finalists">At most this many candidates go on to the round on every fold.</param>
internal sealed record SearchSpace(IReadOnlyList<Candidate> Networks, int FirstRoundFolds, double FirstRoundEpochShare, int Finalists)
{
    /// <summary>
    /// Both activations the dev sets split on (tanh won on smooth, dense inputs; relu on sparse
    /// one-hot tables), one small, two medium and one wide network, two learning rates and light
    /// L2 where the network is large enough to overfit a few hundred rows.
    /// </summary>
    public static SearchSpace Default { get; } = new(
        [
            new(Activation.Tanh, [64, 64], 1e-3, 0, TargetTransform.None),
            new(Activation.Relu, [64, 64], 1e-3, 0, TargetTransform.None),
            new(Activation.Tanh, [32], 3e-3, 0, TargetTransform.None),
            new(Activation.Relu, [128, 64], 1e-3, 1e-4, TargetTransform.None),
            new(Activation.Tanh, [128, 128], 1e-3, 1e-3, TargetTransform.None),
            new(Activation.Relu, [256, 128], 3e-4, 1e-4, TargetTransform.None),
            new(Activation.Relu, [64, 64, 64], 1e-3, 1e-3, TargetTransform.None),
            new(Activation.Tanh, [64, 64], 3e-3, 1e-4, TargetTransform.None),
        ],
        FirstRoundFolds: 2,
        FirstRoundEpochShare: 1.0 / 3,
        Finalists: 3);

    /// <summary>The candidates for a run: the networks under each transform the run allows, in a fixed order.</summary>
    /// <param name="requested">The run's <see cref="TableOptions.TargetTransform"/>.</param>
    /// <param name="logOffered">Whether the targets are positive and skewed (<see cref="TargetTransforms.PositiveAndSkewed"/>).</param>
    public IReadOnlyList<Candidate> CandidatesFor(TargetTransform requested, bool logOffered)
    {
        TargetTransform[] transforms = requested switch
        {
            TargetTransform.Auto => logOffered ? [TargetTransform.None, TargetTransform.Log] : [TargetTransform.None],
            _ => [requested],
        };
        return transforms.SelectMany(t => Networks.Select(n => n with { Transform = t })).ToArray();
    }
}
