using Microsoft.ML;
using Microsoft.ML.Data;

namespace Backprop.MLNet;

/// <summary>
/// The <c>Score</c> column as an ML.NET custom mapping from the features vector: ML.NET's public
/// API lets a library add a column this way (a transformer of its own could not build its row
/// mapper), and the mapping keeps the input's other columns as they are.
/// </summary>
internal static class ScoreMapping
{
    /// <summary>The column a regression trainer adds, which <c>Regression.Evaluate</c> reads.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The input the mapping reads: the features column, renamed through the schema definition.</summary>
    public sealed class Input
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>What the mapping adds.</summary>
    public sealed class Output
    {
        public float Score { get; set; }
    }

    /// <summary>A mapping that reads nothing: its output schema is how ML.NET describes the Score column.</summary>
    public sealed class Nothing;

    /// <summary>The input's columns and a float Score.</summary>
    public static SchemaShape OutputSchema(SchemaShape input)
    {
        // SchemaShape's columns cannot be made outside ML.NET, so the Score column is taken from what
        // a mapping that adds it says it adds.
        var score = new MLContext().Transforms.CustomMapping<Nothing, Output>((_, _) => { }, contractName: null)
            .GetOutputSchema(new SchemaShape([])).Single(c => c.Name == ScoreColumnName);
        return new SchemaShape(input.Where(c => c.Name != ScoreColumnName).Append(score));
    }

    /// <summary>A fitted mapping that scores the features column (a vector of <paramref name="width"/> floats) with <paramref name="predict"/>.</summary>
    public static ITransformer Create(string featureColumnName, int width, Func<float[], float> predict)
    {
        var ml = new MLContext();
        var input = SchemaDefinition.Create(typeof(Input));
        var features = input[nameof(Input.Features)];
        features.ColumnName = featureColumnName;
        features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        // No contract name: ML.NET could save the mapping but not the network behind it (see the transformer's Save).
        var estimator = ml.Transforms.CustomMapping<Input, Output>((row, output) => output.Score = predict(row.Features), contractName: null, inputSchemaDefinition: input);
        return estimator.Fit(ml.Data.LoadFromEnumerable(Array.Empty<Input>(), input));
    }
}
