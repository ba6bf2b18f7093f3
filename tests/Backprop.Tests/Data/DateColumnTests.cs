using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

/// <summary>ISO 8601 date columns: detected, encoded as a day count and month and weekday cycles, the same at fit, predict and stream time.</summary>
public class DateColumnTests
{
    private static EncoderOptions Options(string target) => new() { Targets = [target], Missing = MissingPolicy.Mean };

    [Fact]
    public void Dates_with_and_without_times_become_a_day_count_and_two_cycles()
    {
        var table = CsvText.Load("when,y\n2024-03-05,1\n2024-03-05T12:00:00,2\n2024-03-06 06:00,3\n1970-01-01T00:00Z,4\n2024-03-05T13:00+01:00,5\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        Assert.Equal(ColumnKind.Date, encoder.State.Columns[0].Kind);
        Assert.Equal(["when:days", "when:month_sin", "when:month_cos", "when:weekday_sin", "when:weekday_cos"], encoder.FeatureNames);

        double march5 = (new DateTime(2024, 3, 5) - DateTime.UnixEpoch).TotalDays;
        double[] days = [march5, march5 + 0.5, march5 + 1.25, 0, march5 + 0.5];
        Assert.Equal(days.Average(), encoder.State.Columns[0].Mean!.Value, 9);
        var data = encoder.Encode(table, requireTargets: true);
        double scale = encoder.State.Columns[0].Scale!.Value;
        for (int i = 0; i < days.Length; i++)
            Assert.Equal((days[i] - days.Average()) / scale, data.Inputs[i * 5], 9);
        // March is month 3 (angle 2 pi * 2 / 12); 2024-03-05 is a Tuesday (2), 1970-01-01 a Thursday (4).
        Assert.Equal(Math.Sin(2 * Math.PI * 2 / 12), data.Inputs[1], 12);
        Assert.Equal(Math.Cos(2 * Math.PI * 2 / 12), data.Inputs[2], 12);
        Assert.Equal(Math.Sin(2 * Math.PI * 2 / 7), data.Inputs[3], 12);
        Assert.Equal(Math.Cos(2 * Math.PI * 4 / 7), data.Inputs[3 * 5 + 4], 12);
    }

    [Fact]
    public void A_missing_date_is_the_mean_day_and_no_cycle_and_a_non_date_later_is_an_error()
    {
        var table = CsvText.Load("when,y\n2024-01-01,1\n,2\n2024-07-01,3\nNA,4\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        Assert.Equal(ColumnKind.Date, encoder.State.Columns[0].Kind);
        var data = encoder.Encode(table, requireTargets: true);
        Assert.Equal([0.0, 0, 0, 0, 0], data.Inputs[5..10]);
        var e = Assert.Throws<DataFormatException>(() => encoder.Encode(CsvText.Load("when\n05/03/2024\n"), requireTargets: false));
        Assert.Contains("'05/03/2024' is not a date", e.Message);
    }

    [Fact]
    public void A_column_with_dates_and_other_text_is_text()
    {
        var rows = Enumerable.Range(0, 10).Select(i => (i == 3 ? "soon" : $"2024-01-{i + 1:00}") + "," + i);
        var encoder = TableEncoder.Fit(CsvText.Load("when,y\n" + string.Join('\n', rows) + "\n"), Options("y"));
        Assert.Equal(ColumnKind.Text, encoder.State.Columns[0].Kind);
    }

    [Fact]
    public void The_state_round_trips_and_streaming_encodes_the_same()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"2023-{i % 12 + 1:00}-{i % 28 + 1:00}T{i % 24:00}:30,{i % 5},{i * 0.5}");
        string path = CsvText.TempFile("when,x,y\n" + string.Join('\n', rows) + "\n");
        var loaded = TableEncoder.Fit(DataTable.Load(path), Options("y"));
        var streamed = TableEncoder.FitFile(path, CsvOptions.Default, Options("y"), out _);
        Assert.Equal(loaded.FeatureNames, streamed.FeatureNames);
        Assert.Equal(loaded.State.Columns[0].Mean!.Value, streamed.State.Columns[0].Mean!.Value, 9);
        Assert.Equal(loaded.State.Columns[0].Scale!.Value, streamed.State.Columns[0].Scale!.Value, 9);

        var json = System.Text.Json.JsonSerializer.Serialize(loaded.State);
        var again = TableEncoder.FromState(System.Text.Json.JsonSerializer.Deserialize<TableEncoderState>(json)!);
        var table = DataTable.Load(path);
        Assert.Equal(loaded.Encode(table, requireTargets: true).Inputs, again.Encode(table, requireTargets: true).Inputs);
    }
}
