namespace Backprop.Schedules;

/// <summary>eta_t = min + (eta - min)(1 + cos(pi t / T)) / 2 over T epochs, then min.</summary>
public sealed class CosineSchedule(int totalEpochs, double minRate) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Rate(int epoch, double baseRate) =>
        epoch >= totalEpochs ? minRate : minRate + (baseRate - minRate) * 0.5 * (1 + Math.Cos(Math.PI * epoch / totalEpochs));
}
