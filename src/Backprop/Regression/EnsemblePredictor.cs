using Backprop.Inference;

namespace Backprop.Regression;

/// <summary>
/// The average of several fitted <see cref="MlpRegressor"/> members of one shape, predicted
/// through the same laid-out networks and kernels as a single model, allocating nothing per call.
/// </summary>
/// <example>
/// <code>
/// var ensemble = new EnsemblePredictor(members);   // e.g. five fits with different seeds
/// Span&lt;double&gt; y = stackalloc double[ensemble.TargetCount];
/// ensemble.Predict(row, y);                         // the members' mean, in the targets' units
/// </code>
/// </example>
/// <remarks>
/// Each output is the members' predictions summed in member order, then divided by their number,
/// so it equals, bit for bit, averaging the members' own predictions that way. The predictor takes
/// the members' weights as they are when it is made: refit a member, and make a new predictor.
/// Any number of threads may predict with one instance at once.
/// </remarks>
public sealed class EnsemblePredictor
{
    private readonly PackedModel[] _members;

    /// <summary>Lays out every member for prediction.</summary>
    /// <param name="members">At least one fitted regressor; all with the same numbers of features and targets.</param>
    /// <exception cref="ArgumentException">No members, a member that is not fitted, or members of different shapes.</exception>
    public EnsemblePredictor(IReadOnlyList<MlpRegressor> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        _members = new PackedModel[members.Count];
        for (int m = 0; m < members.Count; m++)
        {
            var member = members[m] ?? throw new ArgumentException($"Member {m} is null.", nameof(members));
            if (!member.IsFitted)
                throw new ArgumentException($"Member {m} is not fitted; fit or load every member first.", nameof(members));
            if (member.FeatureCount != members[0].FeatureCount || member.TargetCount != members[0].TargetCount)
                throw new ArgumentException($"Member {m} takes {member.FeatureCount} features and predicts {member.TargetCount} targets; member 0 takes {members[0].FeatureCount} and predicts {members[0].TargetCount}. Every member must have the same shape.", nameof(members));
            _members[m] = member.Packed[0];
        }
    }

    /// <summary>Members averaged.</summary>
    public int MemberCount => _members.Length;

    /// <summary>Input columns every member takes.</summary>
    public int FeatureCount => _members[0].Features;

    /// <summary>Targets every member predicts.</summary>
    public int TargetCount => _members[0].Outputs;

    /// <summary>The members' mean for one row, in the targets' units.</summary>
    /// <param name="row">The row's <see cref="FeatureCount"/> features.</param>
    /// <param name="output">At least <see cref="TargetCount"/> values; the first <see cref="TargetCount"/> are written.</param>
    /// <exception cref="ArgumentException">The row is not <see cref="FeatureCount"/> long, the output is too short, or an input is NaN or infinite.</exception>
    public void Predict(ReadOnlySpan<double> row, Span<double> output) => SpanPrediction.Run(_members, row, output, oneRow: true);

    /// <inheritdoc cref="Predict(ReadOnlySpan{double}, Span{double})"/>
    public void Predict(ReadOnlySpan<float> row, Span<double> output) => SpanPrediction.Run(_members, row, output, oneRow: true);

    /// <summary>The members' mean for a batch of rows, in the targets' units; a large batch uses two cores.</summary>
    /// <param name="inputs">[rows, FeatureCount], row-major: its length is a multiple of <see cref="FeatureCount"/>.</param>
    /// <param name="outputs">[rows, TargetCount], row-major: at least that long; the first rows x TargetCount values are written.</param>
    /// <exception cref="ArgumentException">The lengths do not fit the members' shape, or an input is NaN or infinite.</exception>
    public void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs) => SpanPrediction.Run(_members, inputs, outputs, oneRow: false);

    /// <inheritdoc cref="PredictBatch(ReadOnlySpan{double}, Span{double})"/>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<double> outputs) => SpanPrediction.Run(_members, inputs, outputs, oneRow: false);

    // As PredictBatch, on at most the given threads (a caller already busy on the other core asks for one).
    internal void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int threads) => SpanPrediction.Run(_members, inputs, outputs, oneRow: false, threads);
}
