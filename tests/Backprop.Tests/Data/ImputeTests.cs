using System.Text.Json;
using Backprop.Data.Columns;

namespace Backprop.Tests.Data;

/// <summary>The default missing-value policy: fill, say that a value was missing, never refuse a feature.</summary>
public sealed class ImputeTests
{
    // 'a' has two empty fields, 'b' has none, 'city' has one, and one row (a = 4) has an empty target.
    private const string Train = "a,b,city,y\n1,5,p,10\n,6,q,11\n2,7,,12\n4,8,p,\n10,9,q,14\n,5,p,15\n";

    private static TableEncoder Fit(string text = Train) =>
        TableEncoder.Fit(CsvText.Load(text), new EncoderOptions { Targets = ["y"] });

    [Fact]
    public void Impute_is_the_default_policy()
    {
        Assert.Equal(MissingPolicy.Impute, new EncoderOptions { Targets = ["y"] }.Missing);
        Assert.Equal(MissingPolicy.Impute, new Backprop.Tables.TableOptions().Missing);
    }

    [Fact]
    public void Rows_with_an_empty_target_are_left_out_and_counted()
    {
        var enc = Fit();
        var data = enc.Encode(CsvText.Load(Train), requireTargets: true, out var summary);
        Assert.Equal(5, data.Rows);
        Assert.Equal(1, summary.DroppedRows);
        Assert.Equal(1, summary.MissingTargetRows);
        Assert.Equal([0, 1, 2, 4, 5], summary.SourceRows);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["city"] = 1 }, summary.FilledCells);
    }

    [Fact]
    public void A_numeric_column_with_empty_fields_gets_the_training_median_and_a_was_missing_input()
    {
        var enc = Fit();
        Assert.Equal(["a", "a_missing", "b", "city=p", "city=q", "city=(missing)"], enc.FeatureNames);
        var a = enc.State.Columns[0];
        // The rows fitted on are those with a target: a = 1, 2, 10 (4 is in the row without a target).
        Assert.Equal(2.0, a.Fill);
        Assert.True(a.MissingIndicator);
        Assert.False(enc.State.Columns[1].MissingIndicator);
        Assert.Equal(6.0, enc.State.Columns[1].Fill); // median of 5, 6, 7, 9, 5

        var data = enc.Encode(CsvText.Load(Train), requireTargets: true);
        double mean = a.Mean!.Value, scale = a.Scale!.Value;
        var row0 = data.Inputs.AsSpan(0, 6).ToArray();
        var row1 = data.Inputs.AsSpan(6, 6).ToArray();
        Assert.Equal((1 - mean) / scale, row0[0], 12);
        Assert.Equal(0.0, row0[1]);
        Assert.Equal((2 - mean) / scale, row1[0], 12);
        Assert.Equal(1.0, row1[1]);
    }

    [Fact]
    public void An_empty_text_field_is_a_category_of_its_own()
    {
        var data = Fit().Encode(CsvText.Load(Train), requireTargets: true);
        // Row 2 (source line 4) has no city: only its (missing) input is 1.
        Assert.Equal([0.0, 0.0, 1.0], data.Inputs.AsSpan(2 * 6 + 3, 3).ToArray());
        Assert.Equal([1.0, 0.0, 0.0], data.Inputs.AsSpan(0 * 6 + 3, 3).ToArray());
    }

    [Fact]
    public void A_later_empty_field_is_filled_whether_or_not_training_had_empty_fields_in_that_column()
    {
        var enc = Fit();
        var rows = enc.CreateRowEncoder(["a", "b", "city"]);
        var x = new double[enc.FeatureCount];
        Assert.True(rows.TryEncode(["", "", ""], 0, x, out var missing));
        Assert.Null(missing);
        var b = enc.State.Columns[1];
        var a = enc.State.Columns[0];
        Assert.Equal((a.Fill!.Value - a.Mean!.Value) / a.Scale!.Value, x[0], 12);
        Assert.Equal(1.0, x[1]);
        // 'b' had no empty field in training: filled with its median, and no input says so.
        Assert.Equal((b.Fill!.Value - b.Mean!.Value) / b.Scale!.Value, x[2], 12);
        Assert.Equal([0.0, 0.0, 1.0], x[3..]);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["city"] = 1 }, rows.FilledCells);
    }

    [Fact]
    public void An_empty_text_field_in_a_column_without_empty_fields_in_training_is_all_zeros()
    {
        var enc = Fit("a,city,y\n1,p,1\n2,q,2\n3,p,3\n");
        Assert.Equal(["a", "city=p", "city=q"], enc.FeatureNames);
        var x = new double[enc.FeatureCount];
        Assert.True(enc.CreateRowEncoder(["a", "city"]).TryEncode(["2", ""], 0, x, out _));
        Assert.Equal([0.0, 0.0], x[1..]);
    }

    [Fact]
    public void The_fill_values_and_indicators_survive_the_state_round_trip()
    {
        var enc = Fit();
        var state = JsonSerializer.Deserialize<TableEncoderState>(JsonSerializer.Serialize(enc.State))!;
        var again = TableEncoder.FromState(state);
        Assert.Equal(enc.FeatureNames, again.FeatureNames);
        var table = CsvText.Load(Train);
        Assert.Equal(enc.Encode(table, true).Inputs, again.Encode(table, true).Inputs);
    }

    [Fact]
    public void A_state_with_an_indicator_under_another_policy_or_a_bad_fill_is_refused()
    {
        var state = Fit().State;
        var indicator = state with { Missing = MissingPolicy.Mean };
        Assert.Contains("only the Impute policy", Assert.Throws<InvalidDataException>(() => TableEncoder.FromState(indicator)).Message);
        var columns = state.Columns.ToArray();
        columns[1] = columns[1] with { Fill = double.NaN };
        Assert.Contains("fill value", Assert.Throws<InvalidDataException>(() => TableEncoder.FromState(state with { Columns = columns })).Message);
    }

    [Fact]
    public void A_file_without_empty_fields_encodes_exactly_as_under_mean()
    {
        const string clean = "a,city,y\n1,p,1\n2,q,2\n3,p,3\n";
        var impute = Fit(clean);
        var mean = TableEncoder.Fit(CsvText.Load(clean), new EncoderOptions { Targets = ["y"], Missing = MissingPolicy.Mean });
        Assert.Equal(mean.FeatureNames, impute.FeatureNames);
        Assert.Equal(mean.Encode(CsvText.Load(clean), true).Inputs, impute.Encode(CsvText.Load(clean), true).Inputs);
    }

    [Fact]
    public void The_streamed_fit_gives_the_same_fill_values_and_indicators()
    {
        string path = CsvText.TempFile(Train);
        var streamed = TableEncoder.FitFile(path, Backprop.Data.Csv.CsvOptions.Default, new EncoderOptions { Targets = ["y"] }, out _);
        Assert.Equal(Fit().State.Columns, streamed.State.Columns, (x, y) =>
            x.Name == y.Name && x.Fill == y.Fill && x.MissingIndicator == y.MissingIndicator && Math.Abs(x.Mean.GetValueOrDefault() - y.Mean.GetValueOrDefault()) < 1e-12 &&
            (x.Categories ?? []).SequenceEqual(y.Categories ?? []));
    }
}
