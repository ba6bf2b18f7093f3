using System.Text;
using System.Text.Json.Nodes;
using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Tables.Intervals;

namespace Backprop.Tests.Tables.Intervals;

/// <summary>The interval calibration and importance records in the model file: optional, round-tripped, hostile values refused.</summary>
public sealed class ExtrasRecordTests
{
    private static readonly Lazy<ModelDocument> Plain = new(() =>
    {
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [2], Epochs = 2, Seed = 1 });
        model.Fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]);
        return ModelFile.ToDocument(model) with { TargetNames = ["y"] };
    });

    private static readonly PredictionIntervals Calibration =
        PredictionIntervals.FromOutOfFold([1, 2, 3, 4, 5, 6], [1.5, 2, 2, 4.25, 5, 7], 1, [[0, 2, 4], [1, 3, 5]]);

    private static readonly ImportanceDocument Importance = new(2, 3, 7, [new("x", 0.5, 0.1, 0.2, 0.05), new("z", 0, 0, 0, 0)]);

    [Fact]
    public void Both_records_round_trip_and_the_intervals_predict_the_same()
    {
        var document = Plain.Value with { Intervals = Calibration.ToDocument(["y"]), Importance = Importance };
        var read = RoundTrip(document);
        Assert.Equal(Importance.Columns, read.Importance!.Columns);
        Assert.Equal((2, 3, 7UL), (read.Importance.Folds, read.Importance.Repeats, read.Importance.Seed));
        var back = PredictionIntervals.FromDocument(read.Intervals!);
        double[][] members = [[10, 11], [20, 19]];
        foreach (double c in new[] { 0.5, 0.6 })
        {
            var (lower, upper) = back.Bounds(members, c);
            var (expectedLower, expectedUpper) = Calibration.Bounds(members, c);
            Assert.Equal(expectedLower, lower);
            Assert.Equal(expectedUpper, upper);
            Assert.All(lower.Zip(upper), b => Assert.True(b.First < b.Second));
        }
        // Fold 0 held rows 1, 3, 5 (residuals 0.5, 1, 0), fold 1 rows 2, 4, 6 (0, 0.25, 1): stored sorted.
        Assert.Equal([0.0, 0.5, 1.0], read.Intervals!.Targets[0].Folds[0].Residuals);
        Assert.Equal([0.0, 0.25, 1.0], read.Intervals.Targets[0].Folds[1].Residuals);
    }

    [Fact]
    public void A_file_without_them_reads_as_before()
    {
        var read = RoundTrip(Plain.Value);
        Assert.Null(read.Intervals);
        Assert.Null(read.Importance);
    }

    [Theory]
    [InlineData("""{"method":"split","targets":[]}""", "this Backprop reads only 'cv+'")]
    [InlineData("""{"method":"cv+","targets":[]}""", "one entry per target (1)")]
    [InlineData("""{"method":"cv+","targets":[{"target":"q","folds":[]}]}""", "is for 'q' but output 1 is 'y'")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]}]}]}""", "1 folds; between 2 and 100")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},{"rows":2,"residuals":[2,1]}]}]}""", "fold 2: the residuals are not in ascending order")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},{"rows":1,"residuals":[-1]}]}]}""", "fold 2: residual 1 is -1")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},{"rows":1,"residuals":["NaN"]}]}]}""", "residuals are finite and not negative")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},{"rows":5000,"residuals":[1]}]}]}""", "1 residuals for 5000 rows; expected 1000")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},{"rows":0,"residuals":[]}]}]}""", "a fold has at least one row")]
    [InlineData("""{"method":"cv+","targets":[{"target":"y","folds":[{"rows":1,"residuals":[1]},null]}]}""", "incomplete")]
    public void Hostile_intervals_are_refused_with_a_clear_message(string intervals, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => ReadWith("intervals", intervals));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("m.json: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"folds":0,"repeats":3,"seed":1,"columns":[]}""", "both must be at least 1")]
    [InlineData("""{"folds":5,"repeats":3,"seed":1,"columns":[{"column":null,"mse_rise":1,"mse_rise_sd":0,"r2_drop":0,"r2_drop_sd":0}]}""", "has no column name")]
    [InlineData("""{"folds":5,"repeats":3,"seed":1,"columns":[{"column":"x","mse_rise":"Infinity","mse_rise_sd":0,"r2_drop":0,"r2_drop_sd":0}]}""", "the importance of 'x' holds")]
    [InlineData("""{"folds":5,"repeats":3,"seed":1,"columns":[{"column":"x","mse_rise":1,"mse_rise_sd":-1,"r2_drop":0,"r2_drop_sd":0}]}""", "negative spread")]
    public void Hostile_importances_are_refused_with_a_clear_message(string importance, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => ReadWith("importance", importance));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static ModelDocument RoundTrip(ModelDocument document)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(document, stream);
        stream.Position = 0;
        return ModelFile.Read(stream, "m.json");
    }

    private static ModelDocument ReadWith(string field, string json)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(Plain.Value, stream);
        var root = JsonNode.Parse(stream.ToArray())!.AsObject();
        root[field] = JsonNode.Parse(json);
        return ModelFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(root.ToJsonString())), "m.json");
    }
}
