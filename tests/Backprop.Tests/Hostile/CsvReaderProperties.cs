using System.Text;
using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using CsCheck;

namespace Backprop.Tests.Hostile;

/// <summary>
/// Property-based tests of the CSV readers (<see cref="DataTable"/>, <see cref="TableEncoder"/>,
/// <see cref="NumericCsv"/>) on random bytes, token soups, ragged tables and mutations of a real
/// file: every input gives a table or a <see cref="DataFormatException"/> with a one-line message,
/// quickly and in memory proportional to its size.
/// </summary>
public sealed class CsvReaderProperties
{
    private const int Iterations = 300;

    internal static readonly string[] Tokens =
    [
        "1", "-2.5", "3e5", "0", "1e308", "1e309", "-1e309", "4.9e-324", "1e-400", "3.4e38", "3.5e38", "NaN", "nan", "-Inf", "inf", "Infinity",
        "", "", "abc", "x y", " 7 ", "\"q\"", "\"a,b\"", "\"a\"\"b\"", "\"unterminated", "\"", "\"\"", "\"multi\nline\"",
        "\r", "\n", "\r\n", ",", ";", "\t", "|", " ", "é", "\u0000", "\uFEFF", "\uFFFD", "0x10", "1,5", "１", "+", "-", ".", "1_000",
        new string('9', 400), new string('a', 300), "#", "=", "\u2028",
    ];

    internal static readonly char?[] Separators = [null, null, ',', ';', '\t', '|', '"', '\n', '\r', ' ', 'a', '1', '\0', '#', '.', '-'];

    private static readonly Gen<CsvOptions> Options =
        Gen.Select(Gen.Bool, Gen.OneOf(Separators), (header, sep) => new CsvOptions(header, sep));

    private static readonly Gen<MissingPolicy> Policies = Gen.OneOf(MissingPolicy.Error, MissingPolicy.Drop, MissingPolicy.Mean, MissingPolicy.Impute);

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 400];

    private static readonly Gen<byte[]> TokenSoup =
        Gen.OneOf(Tokens).Array[0, 60].Select(t => Encoding.UTF8.GetBytes(string.Concat(t)));

    /// <summary>Mostly rectangular tables of hostile fields, sometimes ragged, so the encoder is reached.</summary>
    private static readonly Gen<byte[]> Tables =
        from sep in Gen.OneOf(",", ";", "\t", "|")
        from columns in Gen.Int[1, 5]
        from rows in Gen.Int[0, 8]
        from header in Gen.OneOf("a", "b", "y", "", "a", "\"a\"", "a b", "c").Array[columns]
        from cells in Gen.Frequency((6, (IGen<string>)Gen.OneOf("1", "2.5", "-3", "4e2", "10")), (3, (IGen<string>)Gen.OneOf(Tokens)))
            .Array[columns].Array[rows]
        from ragged in Gen.Int[0, 9]
        select Encoding.UTF8.GetBytes(
            string.Join(sep, header) + "\n" +
            string.Concat(cells.Select((r, i) => string.Join(sep, i == ragged ? r[..^1] : r) + "\n")));

    private static readonly Lazy<byte[]> Diabetes = new(() =>
        Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "samples", "diabetes.csv")).Take(25)) + "\n"));

    /// <summary>1 to 3 edits of the first lines of a real file: truncation, flipped bytes, inserted tokens, deleted ranges.</summary>
    internal static Gen<byte[]> Mutations(Func<byte[]> valid) => ByteEdits.Of(valid, Gen.OneOf(Tokens), maxDelete: 40);

    /// <summary>Reads the bytes every way the data layer offers; only documented exceptions may come out.</summary>
    internal static void ReadEveryWay(byte[] bytes, CsvOptions options, MissingPolicy missing)
    {
        string context = $"options {options} missing {missing}";
        var loaded = Bounded.Run(bytes, context, () =>
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
            var table = DataTable.Load(reader, "fuzz.csv", options);
            Assert.True(table.RowCount > 0);
            var encoder = TableEncoder.Fit(table, new EncoderOptions { Targets = [table.ColumnNames[^1]], Missing = missing });
            var encoded = encoder.Encode(table, requireTargets: true);
            Assert.Equal(encoded.Rows * encoder.FeatureCount, encoded.Inputs.Length);
            Assert.All(encoded.Inputs, x => Assert.True(double.IsFinite(x)));
            encoder.Encode(table, requireTargets: false);
        }, typeof(DataFormatException));

        string path = Path.Combine(Path.GetTempPath(), "backprop-hostile-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(path, bytes);
        try
        {
            Bounded.Run(bytes, context, () =>
            {
                var table = DataTable.Load(path, options);
                NumericCsv.ReadMatrix<double>(path, [table.ColumnNames[^1]], options);
                NumericCsv.ReadMatrix<float>(path, [table.ColumnNames[^1]], options);
            }, typeof(DataFormatException));
        }
        finally
        {
            File.Delete(path);
        }
        _ = loaded;
    }

    [Fact]
    public void Random_bytes_give_a_table_or_a_DataFormatException() =>
        Gen.Select(RandomBytes, Options, Policies).SampleFixed(ReadEveryWay, Iterations);

    [Fact]
    public void Token_soups_give_a_table_or_a_DataFormatException() =>
        Gen.Select(TokenSoup, Options, Policies).SampleFixed(ReadEveryWay, Iterations);

    [Fact]
    public void Hostile_tables_give_a_table_or_a_DataFormatException() =>
        Gen.Select(Tables, Options, Policies).SampleFixed(ReadEveryWay, Iterations * 2);

    [Fact]
    public void Mutations_of_a_real_file_give_a_table_or_a_DataFormatException() =>
        Gen.Select(Mutations(() => Diabetes.Value), Options, Policies).SampleFixed(ReadEveryWay, Iterations * 2);
}
