namespace Backprop.Schedules;

/// <summary>
/// Multiplies the rate by <c>factor</c> whenever the monitored loss has not improved by more than
/// <c>tolerance</c> for <c>patience</c> epochs, never going below <c>minRate</c>.
/// </summary>
public sealed class ReduceOnPlateauSchedule(int patience, double factor, double tolerance, double minRate) : LearningRateSchedule
{
    private double _multiplier = 1.0;
    private double _best = double.PositiveInfinity;
    private int _bad;
    private double _lastBase = double.NaN;

    /// <inheritdoc />
    public override double Rate(int epoch, double baseRate)
    {
        _lastBase = baseRate;
        return Math.Max(baseRate * _multiplier, Math.Min(minRate, baseRate));
    }

    /// <inheritdoc />
    public override void Observe(double loss)
    {
        if (loss < _best - tolerance)
        {
            _best = loss;
            _bad = 0;
            return;
        }
        if (++_bad > patience)
        {
            if (double.IsNaN(_lastBase) || _lastBase * _multiplier > minRate)
                _multiplier *= factor;
            _bad = 0;
        }
    }

    /// <inheritdoc />
    public override double[] State
    {
        get => [_multiplier, _best, _bad];
        set => (_multiplier, _best, _bad) = (value[0], value[1], (int)value[2]);
    }
}
