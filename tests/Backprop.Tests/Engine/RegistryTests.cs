using Backprop.Activations;
using Backprop.Networks;
using Backprop.Optimizers;
using Backprop.Schedules;
using Backprop.Training;

namespace Backprop.Tests.Engine;

// The optimizer and schedule tables: every kind registered once under one name, and built as before.
public class RegistryTests
{
    [Fact]
    public void Every_optimizer_kind_has_one_registration_under_a_name_of_its_own()
    {
        var names = OptimizerRegistry.Names;
        Assert.Equal(Enum.GetValues<OptimizerKind>().Order(), names.Select(n => n.Kind).Order());
        Assert.Equal(names.Count, names.Select(n => n.Name).Distinct().Count());
        Assert.Equal(["adam", "adamw", "sgd", "momentum", "nesterov", "lbfgs", "rprop"], names.Select(n => n.Name));
    }

    [Fact]
    public void Every_schedule_kind_has_one_registration_under_a_name_of_its_own()
    {
        var names = ScheduleRegistry.Names;
        Assert.Equal(Enum.GetValues<ScheduleKind>().Order(), names.Select(n => n.Kind).Order());
        Assert.Equal(names.Count, names.Select(n => n.Name).Distinct().Count());
        Assert.Equal(["constant", "inverse-scaling", "step", "cosine", "plateau"], names.Select(n => n.Name));
    }

    [Fact]
    public void Each_optimizer_kind_builds_its_optimizer_with_the_options_settings()
    {
        var options = new TrainingOptions { Momentum = 0.8, Beta1 = 0.85, Beta2 = 0.99, Epsilon = 1e-7, WeightDecay = 0.02 };
        IOptimizer<double>? Build(OptimizerKind kind)
        {
            var network = Network<double>.Create(3, [4], Activation.Tanh, 1);
            return new Trainer<double>(network, options with { Optimizer = kind }).Optimizer;
        }

        foreach (var (kind, momentum, nesterov) in new[] { (OptimizerKind.GradientDescent, 0.0, false), (OptimizerKind.Momentum, 0.8, false), (OptimizerKind.Nesterov, 0.8, true) })
        {
            var descent = Assert.IsType<GradientDescent<double>>(Build(kind));
            Assert.Equal((momentum, nesterov), (descent.Momentum, descent.Nesterov));
        }
        var adam = Assert.IsType<Adam<double>>(Build(OptimizerKind.Adam));
        Assert.Equal((0.85, 0.99, 1e-7, 0.0), (adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        var adamW = Assert.IsType<Adam<double>>(Build(OptimizerKind.AdamW));
        Assert.Equal((0.85, 0.99, 1e-7, 0.02), (adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay));
        Assert.IsType<Rprop<double>>(Build(OptimizerKind.Rprop));
        Assert.Null(Build(OptimizerKind.Lbfgs)); // L-BFGS runs on its own runner, not as a step optimizer
    }

    [Fact]
    public void Only_the_optimizers_that_ignore_the_learning_rate_say_so()
    {
        var ignoring = Enum.GetValues<OptimizerKind>().Where(kind => !OptimizerRegistry.FollowsLearningRate(kind));
        Assert.Equal([OptimizerKind.Lbfgs, OptimizerKind.Rprop], ignoring);
    }

    [Fact]
    public void Each_schedule_kind_builds_its_schedule_with_the_options_settings()
    {
        var options = new TrainingOptions { LearningRate = 1, PowerT = 1, StepSize = 2, Gamma = 0.5, Epochs = 4, MinLearningRate = 0 };
        LearningRateSchedule Build(ScheduleKind kind) => ScheduleRegistry.Create(options with { Schedule = kind });

        Assert.IsType<ConstantSchedule>(Build(ScheduleKind.Constant));
        Assert.Equal(0.25, Assert.IsType<InverseScalingSchedule>(Build(ScheduleKind.InverseScaling)).Rate(3, 1)); // 1 / (3 + 1)^1
        Assert.Equal(0.5, Assert.IsType<StepDecaySchedule>(Build(ScheduleKind.StepDecay)).Rate(2, 1)); // 0.5^(2 / 2)
        Assert.Equal(0.5, Assert.IsType<CosineSchedule>(Build(ScheduleKind.Cosine)).Rate(2, 1), 12); // half way down over 4 epochs
        Assert.IsType<ReduceOnPlateauSchedule>(Build(ScheduleKind.ReduceOnPlateau));
    }
}
