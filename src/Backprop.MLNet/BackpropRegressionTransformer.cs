using Backprop.Regression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.MLNet;

/// <summary>
/// A fitted Backprop network in an ML.NET pipeline: adds a float <c>Score</c> column, the network's
/// prediction from the features vector.
/// </summary>
/// <remarks>
/// <para>Saving: ML.NET's <c>mlContext.Model.Save</c> cannot save a transformer from outside ML.NET
/// (what it writes goes through internal types), so <c>Save(ModelSaveContext)</c> throws.
/// <see cref="BackpropModelOperations.SaveWithBackprop"/> saves the pipeline in one file instead:
/// ML.NET's own zip for the steps before this one, with the network added to it as a Backprop model
/// file; <see cref="BackpropModelOperations.LoadWithBackprop"/> reads it back and re-attaches the
/// network. <see cref="Model"/>'s own <c>Save</c> writes the network alone.</para>
/// <para>Predictions may run on many threads at once.</para>
/// </remarks>
public sealed class BackpropRegressionTransformer : ITransformer
{
    private readonly ITransformer _score;

    internal BackpropRegressionTransformer(MlpRegressor model, string featureColumnName)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        _score = ScoreMapping.Create(featureColumnName, model.FeatureCount, Predict);
    }

    /// <summary>The fitted network (save it with <c>Backprop.Serialization</c>'s <c>Save</c>).</summary>
    public MlpRegressor Model { get; }

    /// <summary>The features column it reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>A transformer for a fitted network (one output), reading <paramref name="featureColumnName"/>.</summary>
    /// <exception cref="ArgumentException">The network has more than one output, or the column name is empty.</exception>
    public static BackpropRegressionTransformer FromModel(MlpRegressor model, string featureColumnName = "Features")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        if (model.TargetCount != 1)
            throw new ArgumentException($"An ML.NET regression score is one number; this network has {model.TargetCount} outputs.", nameof(model));
        return new BackpropRegressionTransformer(model, featureColumnName);
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _score.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _score.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _score.Transform(input);

    /// <summary>Not supported: ML.NET's model format takes only its own transformers. Use <see cref="BackpropModelOperations.SaveWithBackprop"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET cannot save a transformer from outside ML.NET; save the pipeline with mlContext.Model.SaveWithBackprop(model, schema, path) and load it with mlContext.Model.LoadWithBackprop(path, out schema) (namespace Backprop.MLNet).");

    private float Predict(float[] features)
    {
        var x = new double[features.Length];
        for (int j = 0; j < x.Length; j++)
            x[j] = features[j];
        return (float)Model.Predict(x);
    }
}
