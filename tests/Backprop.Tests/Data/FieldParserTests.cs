using System.Globalization;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

/// <summary>
/// The parser's shortcut for plain decimals must be invisible: for any text it gives the verdict and
/// the very bits that double.TryParse gives, which is what the parser was before the shortcut.
/// </summary>
public class FieldParserTests
{
    private static void AssertAsGeneral(string text)
    {
        var kind = FieldParser.Parse(text, out double value);
        if (text.Length == 0)
        {
            Assert.Equal(FieldValue.Missing, kind);
            return;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected))
        {
            Assert.True(kind == (double.IsFinite(expected) ? FieldValue.Number : FieldValue.NonFinite), $"'{text}' gave {kind}");
            if (kind == FieldValue.Number)
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value),
                    $"'{text}' gave {value:R}, expected {expected:R}");
        }
        else
        {
            Assert.True(kind is FieldValue.NonFinite or FieldValue.NotANumber, $"'{text}' gave {kind}");
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0")]
    [InlineData("-0.0")]
    [InlineData("0e5")]
    [InlineData("-0e-30")]
    [InlineData("1")]
    [InlineData("+1")]
    [InlineData("-1.5")]
    [InlineData("0.1")]
    [InlineData("0.956034")]
    [InlineData("11.352380")]
    [InlineData("3.14159265358979")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740992.5")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890")]
    [InlineData("0.00000000000000000001")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("1e-22")]
    [InlineData("1e-23")]
    [InlineData("123456.789e17")]
    [InlineData("123456.789e-17")]
    [InlineData("1E5")]
    [InlineData("1e+5")]
    [InlineData("1e005")]
    [InlineData("1e0005")]
    [InlineData("1e309")]
    [InlineData("1e-400")]
    [InlineData("4.9e-324")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1.000000059604644776")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("1.e5")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e-")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("+-1")]
    [InlineData("1-")]
    [InlineData(" 1.5")]
    [InlineData("1.5 ")]
    [InlineData("1 5")]
    [InlineData("1,5")]
    [InlineData("1_000")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    [InlineData("NaN")]
    [InlineData("-inf")]
    [InlineData("Infinity")]
    [InlineData("abc")]
    [InlineData("")]
    public void EdgeCasesAsGeneral(string text) => AssertAsGeneral(text);

    [Theory]
    [InlineData("samples", "diabetes.csv")]
    [InlineData("samples", "seed_curve.csv")]
    [InlineData("Data", "Fixtures", "msleep.csv")]
    [InlineData("Data", "Fixtures", "movies.csv")]
    public void EveryFieldOfTheTestFilesAsGeneral(params string[] file)
    {
        var table = DataTable.Load(CsvText.Output(file));
        for (int j = 0; j < table.ColumnCount; j++)
        {
            for (int i = 0; i < table.RowCount; i++)
                AssertAsGeneral(table[i, j]);
        }
    }

    [Fact]
    public void RandomDecimalsAsGeneral()
    {
        var random = new Random(4);
        var text = new System.Text.StringBuilder();
        for (int n = 0; n < 200_000; n++)
        {
            text.Clear();
            if (random.Next(4) == 0)
                text.Append(random.Next(2) == 0 ? '-' : '+');
            text.Append(Digits(random, random.Next(0, 12)));
            if (random.Next(3) > 0)
                text.Append('.').Append(Digits(random, random.Next(0, 12)));
            if (random.Next(3) == 0)
            {
                text.Append(random.Next(2) == 0 ? 'e' : 'E');
                if (random.Next(2) == 0)
                    text.Append(random.Next(2) == 0 ? '-' : '+');
                text.Append(Digits(random, random.Next(0, 4)));
            }
            AssertAsGeneral(text.ToString());
        }
        // The benchmark file's shape: six decimals, in [0, 1) and in the target's range.
        for (int n = 0; n < 200_000; n++)
        {
            AssertAsGeneral((random.NextDouble() * (n % 2 == 0 ? 1 : 30)).ToString("F6", CultureInfo.InvariantCulture));
            AssertAsGeneral(random.NextDouble().ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static string Digits(Random random, int count)
    {
        var digits = new char[count];
        for (int i = 0; i < count; i++)
            digits[i] = (char)('0' + random.Next(10));
        return new string(digits);
    }
}
