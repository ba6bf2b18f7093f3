using Backprop.Schedules;

namespace Backprop.Training;

/// <summary>
/// The one table of learning-rate schedules: each <see cref="ScheduleKind"/> with the name the
/// command line knows it by and how a trainer builds it. Adding a schedule takes its own file under
/// <c>Schedules/</c>, its value in <see cref="ScheduleKind"/> and one line here.
/// </summary>
public static class ScheduleRegistry
{
    private static readonly Registration[] Entries =
    [
        new("constant", ScheduleKind.Constant, _ => new ConstantSchedule()),
        new("inverse-scaling", ScheduleKind.InverseScaling, o => new InverseScalingSchedule(o.PowerT)),
        new("step", ScheduleKind.StepDecay, o => new StepDecaySchedule(o.StepSize, o.Gamma)),
        new("cosine", ScheduleKind.Cosine, o => new CosineSchedule(o.Epochs, o.MinLearningRate)),
        new("plateau", ScheduleKind.ReduceOnPlateau, o => new ReduceOnPlateauSchedule(o.PlateauPatience, o.Gamma, o.Tolerance, o.MinLearningRate)),
    ];

    /// <summary>Every schedule's command-line name and kind, in the order help lists them.</summary>
    public static IReadOnlyList<(string Name, ScheduleKind Kind)> Names { get; } = [.. Entries.Select(e => (e.Name, e.Kind))];

    // The schedule options.Schedule names, with its parameters from options.
    internal static LearningRateSchedule Create(TrainingOptions options) => Entries.Single(e => e.Kind == options.Schedule).Create(options);

    private sealed record Registration(string Name, ScheduleKind Kind, Func<TrainingOptions, LearningRateSchedule> Create);
}
