namespace Backprop.Tables;

/// <summary>
/// Marks a <see cref="TableOptions"/> property that a resumed run may set differently from the run
/// that wrote the checkpoint, because it does not change the result (threads) or only where the
/// run stops or is recorded (time budget, checkpoint file). Every other training option must match.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ResumeMayChangeAttribute : Attribute;
