using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Optimizers;
using Backprop.Training.Steps;

namespace Backprop.Training;

/// <summary>
/// The one table of optimizers: each <see cref="OptimizerKind"/> with the name the command line
/// knows it by and how a trainer builds it. Adding an optimizer takes its own file under
/// <c>Optimizers/</c>, its value in <see cref="OptimizerKind"/> and one line here.
/// </summary>
public static class OptimizerRegistry
{
    /// <summary>Every optimizer's command-line name and kind, in the order help lists them.</summary>
    public static IReadOnlyList<(string Name, OptimizerKind Kind)> Names { get; } = [.. Table<double>.Entries.Select(e => (e.Name, e.Kind))];

    // The runner that trains network with options.Optimizer, shuffling with rng.
    internal static OptimizerRunner<T> Create<T>(Network<T> network, TrainingOptions options, Rng rng) where T : unmanaged, IFloatingPointIeee754<T> =>
        Table<T>.Entries.Single(e => e.Kind == options.Optimizer).Create(new RunnerSetup<T>(network, options, rng), options);

    // Whether the learning rate steers the optimizer, so that a hint may suggest changing it.
    internal static bool FollowsLearningRate(OptimizerKind kind) => Table<double>.Entries.Single(e => e.Kind == kind).FollowsLearningRate;

    // The names and flags do not depend on the numeric type; double stands for any where only they are read.
    private static class Table<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly Registration<T>[] Entries =
        [
            new("adam", OptimizerKind.Adam, (s, o) => new StepRunner<T>(s, new Adam<T>(s.Count, o.Beta1, o.Beta2, o.Epsilon))),
            new("adamw", OptimizerKind.AdamW, (s, o) => new StepRunner<T>(s, new Adam<T>(s.Count, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, s.WeightMask()))),
            new("sgd", OptimizerKind.GradientDescent, (s, o) => new StepRunner<T>(s, new GradientDescent<T>(s.Count))),
            new("momentum", OptimizerKind.Momentum, (s, o) => new StepRunner<T>(s, new GradientDescent<T>(s.Count, o.Momentum))),
            new("nesterov", OptimizerKind.Nesterov, (s, o) => new StepRunner<T>(s, new GradientDescent<T>(s.Count, o.Momentum, nesterov: true))),
            new("lbfgs", OptimizerKind.Lbfgs, (s, o) => new LbfgsRunner<T>(s, new Lbfgs<T>(s.Count, o.LbfgsMemory)), FollowsLearningRate: false),
            new("rprop", OptimizerKind.Rprop, (s, o) => new StepRunner<T>(s, new Rprop<T>(s.Count, o.RpropInitialStep)), FollowsLearningRate: false),
        ];
    }

    private sealed record Registration<T>(string Name, OptimizerKind Kind, Func<RunnerSetup<T>, TrainingOptions, OptimizerRunner<T>> Create, bool FollowsLearningRate = true)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
