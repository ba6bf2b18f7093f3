using Backprop.Regression;

namespace Backprop.Tables;

/// <summary>
/// The networks of a table model and the transform their targets were trained under. Every
/// prediction a table model makes goes through <see cref="Predict"/>, so how members are combined
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
        var sum = PredictMember(0, inputs, rows);
        for (int m = 1; m < Members.Count; m++)
        {
            var y = PredictMember(m, inputs, rows);
            for (int i = 0; i < sum.Length; i++)
                sum[i] += y[i];
        }
        if (Members.Count > 1)
        {
            for (int i = 0; i < sum.Length; i++)
                sum[i] /= Members.Count;
        }
        return sum;
    }

    /// <summary>One member's predictions in the targets' units (the transform undone); [rows, targets].</summary>
    public double[] PredictMember(int member, ReadOnlySpan<double> inputs, int rows)
    {
        var y = Members[member].Predict(inputs, rows);
        TargetTransforms.Invert(Transform, y);
        return y;
    }

    /// <summary>R^2, RMSE and MAE of <see cref="Predict"/> on labelled rows (targets in their own units).</summary>
    public RegressionScores Score(DataSet data) =>
        RegressionScores.Compute(Predict(data.Inputs, data.Rows), data.Targets, data.Outputs, data.Weights);
}
