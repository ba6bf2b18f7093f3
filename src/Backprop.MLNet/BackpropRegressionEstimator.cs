using Backprop.Regression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.MLNet;

/// <summary>
/// Fits an <see cref="MlpRegressor"/> on an <see cref="IDataView"/>'s features vector and label, as
/// an ML.NET trainer does. Create it with <c>mlContext.Regression.Trainers.Backprop(...)</c>.
/// </summary>
/// <remarks>
/// Rows whose label or any feature is NaN are left out of the fit, as ML.NET's trainers leave them
/// out. The regressor scales inputs and the label itself (by default), so a normalizer before it is
/// allowed but not needed. Same data, options and seed give the same network bit for bit.
/// </remarks>
public sealed class BackpropRegressionEstimator : IEstimator<BackpropRegressionTransformer>
{
    internal BackpropRegressionEstimator(string labelColumnName, string featureColumnName, RegressorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        options.Validate();
        LabelColumnName = labelColumnName;
        FeatureColumnName = featureColumnName;
        Options = options;
    }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The features column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The regressor's options.</summary>
    public RegressorOptions Options { get; }

    /// <summary>Reads the features and labels of every row and fits the network.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is absent or of a type the trainer does not take; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No row has a label and finite features.</exception>
    public BackpropRegressionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = FeatureColumn(input.Schema);
        int width = ((VectorDataViewType)features.Type).Size;
        var label = LabelColumn(input.Schema);
        var rows = new List<double[]>();
        var targets = new List<double>();
        using (var cursor = input.GetRowCursor([features, label]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getLabel = cursor.GetGetter<float>(label);
            VBuffer<float> buffer = default;
            float y = 0;
            while (cursor.MoveNext())
            {
                getLabel(ref y);
                getFeatures(ref buffer);
                var x = new double[width];
                int j = 0;
                foreach (float v in buffer.DenseValues())
                    x[j++] = v;
                if (float.IsNaN(y) || Array.Exists(x, double.IsNaN))
                    continue;
                rows.Add(x);
                targets.Add(y);
            }
        }
        if (rows.Count == 0)
            throw new InvalidOperationException($"No row has a label in '{LabelColumnName}' and features without NaN in '{FeatureColumnName}': there is nothing to fit.");
        var model = new MlpRegressor(Options);
        model.Fit([.. rows], [.. targets]);
        return new BackpropRegressionTransformer(model, FeatureColumnName);
    }

    /// <summary>The input's columns and a float <c>Score</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is absent or of a type the trainer does not take.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Require(inputSchema, FeatureColumnName, "featureColumnName", c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single,
            "a vector of floats of known size");
        Require(inputSchema, LabelColumnName, "labelColumnName", c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType == NumberDataViewType.Single, "a float");
        return ScoreMapping.OutputSchema(inputSchema);
    }

    private static void Require(SchemaShape schema, string name, string parameter, Func<SchemaShape.Column, bool> fits, string what)
    {
        var found = schema.Where(c => c.Name == name).ToArray();
        if (found.Length == 0)
            throw new ArgumentOutOfRangeException(parameter, name, $"The data has no column '{name}' ({parameter}).");
        if (!fits(found[0]))
            throw new ArgumentOutOfRangeException(parameter, name, $"Column '{name}' ({parameter}) must be {what}.");
    }

    private DataViewSchema.Column FeatureColumn(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentOutOfRangeException("featureColumnName", FeatureColumnName, $"The data has no column '{FeatureColumnName}' (featureColumnName).");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } || item != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("featureColumnName", FeatureColumnName, $"Column '{FeatureColumnName}' (featureColumnName) must be a vector of floats of known size, not {column.Type}; build it with Transforms.Concatenate.");
        return column;
    }

    private DataViewSchema.Column LabelColumn(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(LabelColumnName)
            ?? throw new ArgumentOutOfRangeException("labelColumnName", LabelColumnName, $"The data has no column '{LabelColumnName}' (labelColumnName).");
        if (column.Type != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("labelColumnName", LabelColumnName, $"Column '{LabelColumnName}' (labelColumnName) must be a float, as ML.NET's regression trainers and Regression.Evaluate take it, not {column.Type}.");
        return column;
    }
}
