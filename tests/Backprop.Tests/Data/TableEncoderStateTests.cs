using System.Text.Json;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

public class TableEncoderStateTests
{
    private static TableEncoder Fitted()
    {
        var rng = new Random(7);
        var text = new System.Text.StringBuilder("a,b,c,y\n");
        string[] cats = ["x", "4", "Ünï", "a,b"];
        for (int i = 0; i < 50; i++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{rng.NextDouble() * 1e-3:R},{rng.NextDouble() * 1e9 - 5e8:R},\"{cats[rng.Next(4)]}\",{rng.NextDouble():R}\n");
        return TableEncoder.Fit(CsvText.Load(text.ToString()), new EncoderOptions { Targets = ["y"], Missing = MissingPolicy.Mean });
    }

    [Fact]
    public void JsonRoundTripIsBitExact()
    {
        var enc = Fitted();
        string json = JsonSerializer.Serialize(enc.State);
        var back = JsonSerializer.Deserialize<TableEncoderState>(json)!;
        var enc2 = TableEncoder.FromState(back);
        Assert.Equal(json, JsonSerializer.Serialize(enc2.State));
        for (int f = 0; f < 2; f++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(enc.State.Columns[f].Mean!.Value), BitConverter.DoubleToInt64Bits(back.Columns[f].Mean!.Value));
            Assert.Equal(BitConverter.DoubleToInt64Bits(enc.State.Columns[f].Scale!.Value), BitConverter.DoubleToInt64Bits(back.Columns[f].Scale!.Value));
        }
        Assert.Equal(enc.FeatureNames, enc2.FeatureNames);
        Assert.Contains("\"Kind\":\"Text\"", json);
        Assert.Contains("\"Missing\":\"Mean\"", json);
    }

    [Fact]
    public void AwkwardDoublesRoundTrip()
    {
        double[] values = [0.1, 1.0 / 3, double.Epsilon, double.MaxValue, -2.2250738585072014E-308, 123456789.12345678, 5e-324, 1 - 1e-16];
        foreach (double v in values)
        {
            var state = new TableEncoderState
            {
                Columns = [new FeatureColumnState { Name = "a", Kind = ColumnKind.Numeric, Mean = v, Scale = Math.Abs(v) }],
                Targets = ["y"],
            };
            var back = JsonSerializer.Deserialize<TableEncoderState>(JsonSerializer.Serialize(state))!;
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(back.Columns[0].Mean!.Value));
        }
    }

    [Fact]
    public void EncodingAfterRoundTripIsIdentical()
    {
        var enc = Fitted();
        var enc2 = TableEncoder.FromState(JsonSerializer.Deserialize<TableEncoderState>(JsonSerializer.Serialize(enc.State))!);
        var table = CsvText.Load("a,b,c,y\n0.0005,3,x,1\n,-7,a,b,2\n".Replace("a,b,2", "\"a,b\",2"));
        Assert.Equal(enc.Encode(table, true).Inputs, enc2.Encode(table, true).Inputs);
    }

    public static TheoryData<string, string> Tampered => new()
    {
        { "\"Scale\":1", "\"Scale\":0" },
        { "\"Scale\":1", "\"Scale\":-1" },
        { "\"Mean\":2", "\"Mean\":null" },
        { "\"Categories\":[\"p\",\"q\"]", "\"Categories\":[\"p\",\"p\"]" },
        { "\"Categories\":[\"p\",\"q\"]", "\"Categories\":[\"q\",\"p\"]" },
        { "\"Categories\":[\"p\",\"q\"]", "\"Categories\":[]" },
        { "\"Targets\":[\"y\"]", "\"Targets\":[]" },
        { "\"Targets\":[\"y\"]", "\"Targets\":[\"a\"]" },
        { "\"Kind\":\"Text\"", "\"Kind\":\"Numeric\"" },
        { "\"Missing\":\"Drop\"", "\"Missing\":7" },
        { "\"Name\":\"a\"", "\"Name\":\"\"" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void FromStateRejectsTamperedState(string original, string replacement)
    {
        var enc = TableEncoder.Fit(CsvText.Load("a,c,y\n1,p,1\n3,q,2\n"), new EncoderOptions { Targets = ["y"], Missing = MissingPolicy.Drop });
        string json = JsonSerializer.Serialize(enc.State);
        Assert.Contains(original, json);
        var state = JsonSerializer.Deserialize<TableEncoderState>(json.Replace(original, replacement))!;
        var e = Assert.Throws<InvalidDataException>(() => TableEncoder.FromState(state));
        Assert.StartsWith("Invalid encoder state: ", e.Message);
    }

    [Fact]
    public void FromStateRejectsNonFiniteMean()
    {
        var state = new TableEncoderState
        {
            Columns = [new FeatureColumnState { Name = "a", Kind = ColumnKind.Numeric, Mean = double.NaN, Scale = 1 }],
            Targets = ["y"],
        };
        var e = Assert.Throws<InvalidDataException>(() => TableEncoder.FromState(state));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("not finite", e.Message);
    }
}
