using Backprop.Regression;

namespace Backprop.Tables;

/// <summary>
/// The networks of a table model and the transform their targets were trained under. Every
/// prediction a table model makes goes through <see cref="Predict(ReadOnlySpan{double}, int)"/>, so how members are combined
/// (and how fast) is decided in this one place.
/// </summary>
internal sealed class Ensemble
{
    public Ensemble(IReadOnlyList<MlpRegressor> members, TargetTransform transform)
    {
        if (members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        if (transform == TargetTransform.Auto)
            throw new ArgumentException("A fitted model's transform is None or Log; Auto is for the search to resolve.", nameof(transform));
        Members = members;
        Transform = transform;
    }

    public IReadOnlyList<MlpRegressor> Members { get; }

    public TargetTransform Transform { get; }

    public MlpRegressor First => Members[0];

    public int FeatureCount => First.FeatureCount;

    public int TargetCount => First.TargetCount;

    /// <summary>The mean of the members' predictions, each in the targets' units; [rows, targets].</summary>
    public double[] Predict(ReadOnlySpan<double> inputs, int rows)
    {
        if (rows < 0 || inputs.Length != (long)rows * FeatureCount)
            throw new ArgumentException($"The model takes {FeatureCount} features per row; got {inputs.Length} values for {rows} rows.", nameof(inputs));
        var y = new double[rows * TargetCount];
        Predict(inputs, y, threads: 0);
        return y;
    }

    /// <summary>
    /// As <see cref="Predict(ReadOnlySpan{double}, int)"/>, into <paramref name="outputs"/> ([rows, targets]), on at
    /// most <paramref name="threads"/> threads (0: as many as help). One network without a transform allocates nothing.
    /// </summary>
    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, int threads)
    {
        int length = inputs.Length / FeatureCount * TargetCount;
        First.PredictBatch(inputs, outputs, threads);
        TargetTransforms.Invert(Transform, outputs[..length]);
        if (Members.Count == 1)
            return;
        var member = new double[length];
        for (int m = 1; m < Members.Count; m++)
        {
            Members[m].PredictBatch(inputs, member, threads);
            TargetTransforms.Invert(Transform, member);
            for (int i = 0; i < length; i++)
                outputs[i] += member[i];
        }
        for (int i = 0; i < length; i++)
            outputs[i] /= Members.Count;
    }

    /// <summary>Every member's predictions in the targets' units, [member][rows, targets], and their mean into <paramref name="mean"/> with the same additions, in the same order, as <see cref="Predict(ReadOnlySpan{double}, Span{double}, int)"/>.</summary>
    public double[][] PredictMembers(ReadOnlySpan<double> inputs, int rows, Span<double> mean)
    {
        var members = new double[Members.Count][];
        for (int m = 0; m < members.Length; m++)
            members[m] = PredictMember(m, inputs, rows);
        var sum = mean[..members[0].Length];
        members[0].CopyTo(sum);
        for (int m = 1; m < members.Length; m++)
        {
            for (int i = 0; i < sum.Length; i++)
                sum[i] += members[m][i];
        }
        if (members.Length > 1)
        {
            for (int i = 0; i < sum.Length; i++)
                sum[i] /= members.Length;
        }
        return members;
    }

    /// <summary>One member's predictions in the targets' units (the transform undone); [rows, targets].</summary>
    public double[] PredictMember(int member, ReadOnlySpan<double> inputs, int rows)
    {
        var y = Members[member].Predict(inputs, rows);
        TargetTransforms.Invert(Transform, y);
        return y;
    }

    /// <summary>R^2, RMSE and MAE of <see cref="Predict(ReadOnlySpan{double}, int)"/> on labelled rows (targets in their own units).</summary>
    public RegressionScores Score(DataSet data) =>
        RegressionScores.Compute(Predict(data.Inputs, data.Rows), data.Targets, data.Outputs, data.Weights);
}
