namespace Backprop.Schedules;

/// <summary>Always the base rate.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Rate(int epoch, double baseRate) => baseRate;
}
