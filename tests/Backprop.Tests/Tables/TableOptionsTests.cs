using Backprop.Regression;
using Backprop.Tables;
using Backprop.Training;

namespace Backprop.Tests.Tables;

/// <summary>TableOptions: one Validate, messages that name the option, resume rules declared on the properties.</summary>
public sealed class TableOptionsTests
{
    private static readonly TableOptions Valid = new() { Targets = ["y"] };

    [Fact]
    public void The_defaults_are_the_regressors_apart_from_input_scaling()
    {
        var expected = new RegressorOptions { ScaleInputs = false, ScaleTargets = true };
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(Valid.ToRegressorOptions()));
        Valid.Validate();
    }

    [Theory]
    [InlineData("targets", "Targets: name at least one target column.")]
    [InlineData("test-fraction", "TestFraction must be in [0, 1); got 1.")]
    [InlineData("both-tests", "TestFile and TestFraction cannot be used together; give one of them.")]
    [InlineData("checkpoint-every", "CheckpointEvery must be at least 1; got 0.")]
    [InlineData("stream-checkpoint", "Checkpoint and Resume cannot be used with Stream yet; train without Stream to checkpoint.")]
    [InlineData("stream-fraction", "TestFraction cannot be used with Stream (the file is never held in memory); give a TestFile instead.")]
    [InlineData("shuffle-buffer", "ShuffleBuffer must be at least 1; got 0.")]
    [InlineData("stream-lbfgs", "Optimizer lbfgs needs the whole data set at every step, so it cannot stream; use adam or sgd with Stream.")]
    public void Validate_names_the_options_at_fault(string which, string message)
    {
        var options = which switch
        {
            "targets" => Valid with { Targets = [] },
            "test-fraction" => Valid with { TestFraction = 1 },
            "both-tests" => Valid with { TestFile = "t.csv", TestFraction = 0.1 },
            "checkpoint-every" => Valid with { CheckpointEvery = 0 },
            "stream-checkpoint" => Valid with { Stream = true, Checkpoint = "c.json" },
            "stream-fraction" => Valid with { Stream = true, TestFraction = 0.1 },
            "shuffle-buffer" => Valid with { Stream = true, ShuffleBuffer = 0 },
            "stream-lbfgs" => Valid with { Stream = true, Optimizer = OptimizerKind.Lbfgs },
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
        var e = Assert.Throws<TableOptionsException>(options.Validate);
        Assert.Equal(message, e.Message);
        Assert.Equal("--test-file and --test-fraction", new TableOptionsException("{0} and {1}", "TestFile", "TestFraction").Format(n => n == "TestFile" ? "--test-file" : "--test-fraction"));
    }

    [Fact]
    public void A_network_option_out_of_range_is_named_by_its_property()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>((Valid with { LearningRate = -1 }).Validate);
        Assert.Equal(nameof(TableOptions.LearningRate), e.ParamName);
    }

    [Fact]
    public void Which_options_a_resume_may_change_is_declared_on_them()
    {
        Assert.Equal(
            [nameof(TableOptions.Threads), nameof(TableOptions.TimeBudget), nameof(TableOptions.Checkpoint), nameof(TableOptions.CheckpointEvery), nameof(TableOptions.Resume)],
            TableOptions.ResumeMayChange);
        foreach (string name in TableOptions.ResumeMayChange)
            Assert.NotNull(typeof(TableOptions).GetProperty(name)!.GetCustomAttributes(typeof(ResumeMayChangeAttribute), false).SingleOrDefault());

        var saved = Valid.ToRegressorOptions();
        Assert.True(Valid.CanResume(saved));
        Assert.True((Valid with { Threads = 3, TimeBudget = TimeSpan.FromMinutes(1) }).CanResume(saved));
        Assert.False((Valid with { Seed = 1 }).CanResume(saved));
        Assert.False((Valid with { LearningRate = 0.01 }).CanResume(saved));
        Assert.False((Valid with { HiddenLayers = [3] }).CanResume(saved));
    }
}
