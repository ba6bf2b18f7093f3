namespace Backprop.Schedules;

/// <summary>eta_t = eta / (t + 1)^power, per epoch (scikit-learn's "invscaling", counted in epochs).</summary>
public sealed class InverseScalingSchedule(double power) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Rate(int epoch, double baseRate) => baseRate / Math.Pow(epoch + 1, power);
}
