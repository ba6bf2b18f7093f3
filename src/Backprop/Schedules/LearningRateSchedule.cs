namespace Backprop.Schedules;

/// <summary>
/// The learning rate for each epoch, from the base rate. A schedule may watch the monitored loss
/// (validation loss when there is a validation set, else training loss) through <see cref="Observe"/>.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate for the 0-based <paramref name="epoch"/>.</summary>
    public abstract double Rate(int epoch, double baseRate);

    /// <summary>Called once per epoch, after it, with the monitored loss.</summary>
    public virtual void Observe(double loss)
    {
    }

    /// <summary>The schedule's state as numbers, for checkpoints.</summary>
    public virtual double[] State
    {
        get => [];
        set { }
    }
}
