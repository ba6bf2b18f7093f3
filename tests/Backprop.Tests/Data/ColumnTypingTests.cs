using Backprop.Data;
using Backprop.Data.Columns;
using Backprop.Data.Csv;

namespace Backprop.Tests.Data;

/// <summary>How a table's columns are typed when an encoder is fitted: missing tokens, decimal commas, bad values, useless columns, names.</summary>
public class ColumnTypingTests
{
    private static EncoderOptions Options(string target, MissingPolicy missing = MissingPolicy.Mean) => new() { Targets = [target], Missing = missing };

    private static double[] Column(TableEncoder encoder, DataTable table, string feature)
    {
        var data = encoder.Encode(table, requireTargets: true);
        int k = encoder.FeatureNames.ToList().IndexOf(feature);
        return Enumerable.Range(0, data.Rows).Select(i => data.Inputs[i * data.Features + k]).ToArray();
    }

    [Theory]
    [InlineData("NA")]
    [InlineData("N/A")]
    [InlineData("n/a")]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("?")]
    public void A_missing_token_in_a_numeric_column_reads_as_an_empty_field(string token)
    {
        var withToken = CsvText.Load($"x,y\n1,1\n{token},2\n3,3\n5,4\n");
        var withEmpty = CsvText.Load("x,y\n1,1\n,2\n3,3\n5,4\n");
        var a = TableEncoder.Fit(withToken, Options("y"));
        var b = TableEncoder.Fit(withEmpty, Options("y"));
        Assert.Equal(ColumnKind.Numeric, a.State.Columns[0].Kind);
        Assert.Equal(b.State.Columns[0], a.State.Columns[0]);
        Assert.Equal(Column(b, withEmpty, "x"), Column(a, withToken, "x"));
        // Under the Error policy it is a missing value like any other.
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(withToken, Options("y", MissingPolicy.Error)));
        Assert.Contains("line 3 column 'x'", e.Message);
    }

    [Fact]
    public void In_a_text_column_the_tokens_are_categories()
    {
        var table = CsvText.Load("kind,y\nNone,1\nsome,2\nNA,3\nnull,4\nsome,5\n");
        var encoder = TableEncoder.Fit(table, Options("y", MissingPolicy.Error));
        Assert.Equal(["kind=NA", "kind=None", "kind=null", "kind=some"], encoder.FeatureNames);
        Assert.Equal(5, encoder.Encode(table, requireTargets: true).Rows);
    }

    [Fact]
    public void More_tokens_can_be_declared_and_are_kept_in_the_state()
    {
        var table = CsvText.Load("x,y\n1,1\n-,2\n3,3\nmissing,4\n");
        Assert.Equal(ColumnKind.Text, TableEncoder.Fit(table, Options("y")).State.Columns[0].Kind);
        var encoder = TableEncoder.Fit(table, Options("y") with { MissingTokens = ["-", "missing"] });
        Assert.Equal(ColumnKind.Numeric, encoder.State.Columns[0].Kind);
        Assert.Equal(2, encoder.State.Columns[0].Mean);
        Assert.Contains("missing", encoder.State.MissingTokens!);
        Assert.Contains("NA", encoder.State.MissingTokens!);
        // A rebuilt encoder reads the same tokens as missing.
        var again = TableEncoder.FromState(encoder.State);
        Assert.Equal(Column(encoder, table, "x"), Column(again, table, "x"));
    }

    [Fact]
    public void A_target_token_is_a_missing_target()
    {
        var table = CsvText.Load("x,y\n1,1\n2,NA\n3,3\n4,4\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        var data = encoder.Encode(table, requireTargets: true, out var summary);
        Assert.Equal(3, data.Rows);
        Assert.Equal(1, summary.DroppedRows);
    }

    [Fact]
    public void Decimal_commas_in_a_semicolon_file_read_as_the_same_numbers()
    {
        var clean = CsvText.Load("a,b,y\n32.1,1,0.5\n-4.25,2,1.75\n1e3,3,2\n");
        var european = CsvText.Load("a;b;y\n32,1;1;0,5\n-4,25;2;1,75\n1e3;3;2\n");
        var c = TableEncoder.Fit(clean, Options("y"));
        var e = TableEncoder.Fit(european, Options("y"));
        Assert.Equal(',', e.State.DecimalSeparator);
        Assert.Equal('.', c.State.DecimalSeparator);
        Assert.Equal(c.State.Columns, e.State.Columns);
        Assert.Equal(c.Encode(clean, requireTargets: true).Inputs, e.Encode(european, requireTargets: true).Inputs);
        Assert.Equal(c.Encode(clean, requireTargets: true).Targets, e.Encode(european, requireTargets: true).Targets);
    }

    [Fact]
    public void A_comma_separated_file_never_has_decimal_commas_and_reads_quoted_thousands()
    {
        var table = CsvText.Load("price,y\n\"1,570\",1\n\"12,000.5\",2\n300,3\n\"-1,234,567\",4\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        Assert.Equal('.', encoder.State.DecimalSeparator);
        var plain = TableEncoder.Fit(CsvText.Load("price,y\n1570,1\n12000.5,2\n300,3\n-1234567,4\n"), Options("y"));
        Assert.Equal(plain.State.Columns, encoder.State.Columns);
    }

    [Fact]
    public void Grouped_thousands_with_a_decimal_comma_read_as_numbers()
    {
        var table = CsvText.Load("price;y\n1.570,5;1\n2.000;2\n\"1 234,25\";3\n12,5;4\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        var plain = TableEncoder.Fit(CsvText.Load("price,y\n1570.5,1\n2000,2\n1234.25,3\n12.5,4\n"), Options("y"));
        Assert.Equal(plain.State.Columns, encoder.State.Columns);
    }

    [Fact]
    public void The_decimal_separator_can_be_given()
    {
        // "1.570" alone is a decimal point's 1.57 unless the file is declared to use decimal commas.
        var table = CsvText.Load("a;y\n1.570;1\n2.250;2\n3;3\n");
        Assert.Equal((1.57 + 2.25 + 3) / 3, Mean(TableEncoder.Fit(table, Options("y"))), 12);
        Assert.Equal((1570.0 + 2250 + 3) / 3, Mean(TableEncoder.Fit(table, Options("y") with { DecimalSeparator = ',' })), 12);

        static double Mean(TableEncoder e) => e.State.Columns[0].Mean!.Value;
    }

    [Fact]
    public void A_file_with_points_and_commas_is_not_guessed_and_the_error_says_decimal()
    {
        // a reads only with a point, b only with a comma: the file keeps the point, and b stops.
        var table = CsvText.Load("a;b;y\n3.25;1,5;1\n2.5;2,5;2\n1.75;3,5;3\n4.5;4,5;4\n6.5;5,5;5\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("y")));
        Assert.Equal("b", e.Column);
        Assert.Contains("--decimal ,", e.Message);
    }

    [Fact]
    public void A_mostly_numeric_column_is_an_error_quoting_three_values_with_their_lines()
    {
        var lines = new List<string> { "a,y" };
        for (int i = 0; i < 30; i++)
            lines.Add((i is 3 or 9 or 15 or 20 ? (i == 9 ? "n.a." : "unknown") : i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "," + i);
        var table = CsvText.Load(string.Join('\n', lines) + "\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("y")));
        Assert.Equal("a", e.Column);
        Assert.Equal(
            "data.csv: column 'a': 26 of 30 values are numbers but 4 are not: 'unknown' (line 5), 'n.a.' (line 11), 'unknown' (line 17), ...; " +
            "fix them, mark them missing with --na unknown, or read the column as categories with --text a",
            e.Message);
        // Marking them missing, or declaring the column text, are both ways out.
        Assert.Equal(ColumnKind.Numeric, TableEncoder.Fit(table, Options("y") with { MissingTokens = ["unknown", "n.a."] }).State.Columns[0].Kind);
        Assert.Equal(ColumnKind.Text, TableEncoder.Fit(table, Options("y") with { TextColumns = ["a"] }).State.Columns[0].Kind);
    }

    [Fact]
    public void A_column_with_a_fifth_or_more_words_is_text()
    {
        var table = CsvText.Load("drv,y\n4,1\n4,2\nf,3\n4,4\n4,5\n");
        Assert.Equal(ColumnKind.Text, TableEncoder.Fit(table, Options("y")).State.Columns[0].Kind);
    }

    [Fact]
    public void Identifier_like_and_single_value_columns_are_left_out_with_a_notice()
    {
        var rows = Enumerable.Range(0, 25).Select(i => $"name{i},k,{i % 3},{i}");
        var table = CsvText.Load("name,const,x,y\n" + string.Join('\n', rows) + "\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        Assert.Equal(["x"], encoder.FeatureNames);
        Assert.Equal(["name", "const"], encoder.State.Ignore);
        Assert.Contains(encoder.Notices, n => n.StartsWith("column 'name' looks like an identifier", StringComparison.Ordinal) && n.Contains("--keep name", StringComparison.Ordinal));
        Assert.Contains(encoder.Notices, n => n.StartsWith("column 'const' has the same value ('k') in every row", StringComparison.Ordinal));
        // A model trained so encodes files without those columns.
        Assert.Equal(2, encoder.Encode(CsvText.Load("x,y\n1,2\n2,3\n"), requireTargets: true).Rows);

        var kept = TableEncoder.Fit(table, Options("y") with { KeepColumns = ["name", "const"] });
        Assert.Equal(25 + 1 + 1, kept.FeatureCount);
        Assert.Empty(kept.Notices);
    }

    [Fact]
    public void A_column_with_one_value_and_some_missing_is_kept()
    {
        var table = CsvText.Load("flag,y\nyes,1\n,2\nyes,3\n,4\n");
        Assert.Equal(["flag=yes"], TableEncoder.Fit(table, Options("y")).FeatureNames);
    }

    [Fact]
    public void A_row_counter_is_kept_with_a_notice()
    {
        var table = CsvText.Load("id,x,y\n1,5,1\n2,3,2\n3,8,3\n4,1,4\n");
        var encoder = TableEncoder.Fit(table, Options("y"));
        Assert.Equal(["id", "x"], encoder.FeatureNames);
        Assert.Equal("column 'id' counts the rows (1, 2, 3, ...); it is used as a number, but a row number seldom helps predict and can mislead (--ignore id to leave it out).", Assert.Single(encoder.Notices));
    }

    [Fact]
    public void A_target_in_another_case_is_found_with_a_notice()
    {
        var table = CsvText.Load("House_Price,x\n1,2\n2,3\n3,5\n");
        var encoder = TableEncoder.Fit(table, Options("house_price"));
        Assert.Equal(["House_Price"], encoder.TargetNames);
        Assert.Contains(encoder.Notices, n => n.Contains("using 'House_Price'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_target_gets_the_nearest_names_not_every_column()
    {
        var names = Enumerable.Range(0, 40).Select(i => "col" + i).Append("target").ToArray();
        var table = CsvText.Load(string.Join(',', names) + "\n" + string.Join(',', names.Select((_, i) => i)) + "\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("tagret")));
        Assert.Equal("data.csv: target column 'tagret' not found; did you mean 'target'? (41 columns in the file)", e.Message);
        var far = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("price")));
        Assert.DoesNotContain("col12", far.Message);
    }

    [Fact]
    public void Two_columns_in_other_cases_are_ambiguous()
    {
        var table = CsvText.Load("Price,PRICE,x\n1,2,3\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("price")));
        Assert.Contains("several columns have that name in another case, so give it exactly: 'Price', 'PRICE'", e.Message);
    }

    [Fact]
    public void Text_and_keep_names_are_checked_like_the_target()
    {
        var table = CsvText.Load("code,y\n1,1\n2,2\n");
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Fit(table, Options("y") with { TextColumns = ["cdoe"] }));
        Assert.StartsWith("data.csv: text column 'cdoe' not found; did you mean 'code'?", e.Message);
    }

    [Fact]
    public void Streaming_fit_types_the_columns_as_the_loaded_fit_does()
    {
        var rows = Enumerable.Range(0, 30).Select(i => $"id{i};{i + 1};{i % 4},5;{(i == 4 ? "NA" : (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))};k;{i * 2},25");
        string text = "name;n;a;b;const;y\n" + string.Join('\n', rows) + "\n";
        string path = CsvText.TempFile(text);
        var loaded = TableEncoder.Fit(DataTable.Load(path), Options("y"));
        var streamed = TableEncoder.FitFile(path, CsvOptions.Default, Options("y"), out _);
        Assert.Equal(loaded.FeatureNames, streamed.FeatureNames);
        Assert.Equal(loaded.State.Ignore, streamed.State.Ignore);
        Assert.Equal(loaded.State.DecimalSeparator, streamed.State.DecimalSeparator);
        Assert.Equal(loaded.Notices, streamed.Notices);
        for (int f = 0; f < loaded.State.Columns.Count; f++)
        {
            Assert.Equal(loaded.State.Columns[f].Mean!.Value, streamed.State.Columns[f].Mean!.Value, 12);
            Assert.Equal(loaded.State.Columns[f].Scale!.Value, streamed.State.Columns[f].Scale!.Value, 12);
        }
    }

    [Theory]
    [InlineData('.', "1,570", 1570.0)]
    [InlineData('.', "-12,345,678.5", -12345678.5)]
    [InlineData('.', "1,5", double.NaN)]
    [InlineData('.', "1,5700", double.NaN)]
    [InlineData('.', "1570,000", double.NaN)]
    [InlineData('.', "1,570.5.1", double.NaN)]
    [InlineData(',', "32,1", 32.1)]
    [InlineData(',', "1.570,5", 1570.5)]
    [InlineData(',', "1 570,5", 1570.5)]
    [InlineData(',', "1.570", 1570.0)]
    [InlineData(',', "3.25", double.NaN)]
    [InlineData(',', "1.570 000", double.NaN)]
    [InlineData(',', "1,5,5", double.NaN)]
    [InlineData(',', "-0,5e3", -500.0)]
    [InlineData(',', "42", 42.0)]
    public void Grouping_is_read_only_in_its_strict_form(char decimalSeparator, string field, double expected)
    {
        var reader = new NumberReader(decimalSeparator, []);
        var value = reader.Read(field, out double x);
        if (double.IsNaN(expected))
        {
            Assert.Equal(FieldValue.NotANumber, value);
        }
        else
        {
            Assert.Equal(FieldValue.Number, value);
            Assert.Equal(expected, x);
        }
    }
}
