namespace Backprop.Schedules;

/// <summary>eta_t = eta * gamma^floor(t / stepSize): multiplied by gamma every stepSize epochs.</summary>
public sealed class StepDecaySchedule(int stepSize, double gamma) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Rate(int epoch, double baseRate) => baseRate * Math.Pow(gamma, epoch / stepSize);
}
