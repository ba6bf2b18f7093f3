using System.Globalization;
using System.Text;
using Backprop.Activations;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Onnx;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tests.Onnx;

/// <summary>
/// Every exported model is run in ONNX Runtime and compared with Backprop's own predictions on the
/// same raw rows: max |difference| at most 1e-5 of each target's standard deviation.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "backprop-onnx-" + Guid.NewGuid().ToString("N"));

    public OnnxExportTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<Activation, int, Precision> ArrayCases()
    {
        var cases = new TheoryData<Activation, int, Precision>();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            cases.Add(activation, 1, Precision.Single);
            cases.Add(activation, 3, Precision.Double);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(ArrayCases))]
    public void Array_fed_model_matches_onnx_runtime(Activation activation, int targets, Precision precision)
    {
        var rng = new Random(11);
        int n = 60;
        var x = new double[n][];
        var y = new double[n][];
        for (int i = 0; i < n; i++)
        {
            // Inputs far from 0 and 1 so that the input scaler matters.
            x[i] = [100 + 20 * rng.NextDouble(), -3 + rng.NextDouble(), 1e3 * rng.NextDouble(), rng.NextDouble()];
            y[i] = Enumerable.Range(0, targets).Select(t => 500 + 40 * Math.Sin(x[i][1] + t) + 0.1 * x[i][0] * (t + 1) + 0.01 * x[i][2]).ToArray();
        }
        var model = new MlpRegressor(new RegressorOptions
        {
            HiddenLayers = [6, 5],
            Activation = activation,
            Precision = precision,
            Epochs = 15,
            LearningRate = 0.01,
            Seed = 3,
        });
        model.Fit(x, y);
        string path = Path.Combine(_folder, "model.onnx");
        model.ExportOnnx(path);

        var (onnx, width) = OnnxRunner.Run(path, n, x.SelectMany(r => r.Select(v => (float)v)).ToArray());
        Assert.Equal(targets, width);
        var expected = model.PredictAll(x);
        AssertClose(expected.SelectMany(r => r).ToArray(), onnx, targets, StdDevs(y));
    }

    public static TheoryData<Activation, MissingPolicy> TableCases()
    {
        var cases = new TheoryData<Activation, MissingPolicy>();
        foreach (var activation in Enum.GetValues<Activation>())
            cases.Add(activation, activation == Activation.Relu ? MissingPolicy.Drop : MissingPolicy.Mean);
        return cases;
    }

    [Theory]
    [MemberData(nameof(TableCases))]
    public void Table_model_with_text_columns_matches_onnx_runtime(Activation activation, MissingPolicy missing)
    {
        var train = Table(Rows(80, seed: 5));
        var encoder = TableEncoder.Fit(train, new EncoderOptions { Targets = ["y1", "y2"], Missing = missing });
        var encoded = encoder.Encode(train, requireTargets: true);
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [7], Activation = activation, Epochs = 20, LearningRate = 0.01, Seed = 9 });
        model.Fit(encoded);
        var document = ModelFile.ToDocument(model) with { Table = encoder.State, TargetNames = [.. encoder.TargetNames], FeatureNames = [.. encoder.FeatureNames] };
        string path = Path.Combine(_folder, "table.onnx");
        OnnxExporter.Export(document, path);

        // New rows, among them categories never seen in training.
        var rows = Rows(12, seed: 6);
        rows[0] = rows[0] with { Color = "purple" };
        rows[1] = rows[1] with { Size = "XXL", Color = "mauve" };
        var table = Table(rows);
        var expected = Predict(model, encoder, table);
        var (onnx, width) = OnnxRunner.Run(path, rows.Length, Numeric(rows), Text(rows));
        Assert.Equal(2, width);
        AssertClose(expected, onnx, 2, StdDevs(encoded.Targets!, 2));
        encoder.Encode(table, requireTargets: false, out var later);
        Assert.Equal(2, later.UnseenCategories.Count);
    }

    [Fact]
    public void Missing_values_follow_the_mean_policy()
    {
        var (encoder, encoded, model, path) = FitAndExport(Table(Rows(60, seed: 1)), MissingPolicy.Mean, Activation.Tanh);

        // Row 0 lacks 'a', row 1 lacks 'color': Backprop fills them; ONNX takes NaN and "" for missing.
        var rows = Rows(4, seed: 2);
        var table = Table(rows, blankA: 0, blankColor: 1);
        var numeric = Numeric(rows);
        numeric[0 * 3 + 0] = float.NaN;
        var text = Text(rows);
        text["color"][1] = "";
        var (onnx, _) = OnnxRunner.Run(path, rows.Length, numeric, text);
        AssertClose(Predict(model, encoder, table), onnx, 2, StdDevs(encoded.Targets!, 2));
    }

    [Fact]
    public void Missing_values_follow_the_impute_policy_with_indicators_and_a_missing_category()
    {
        // Training has empty 'a' and 'color' fields (so they get a "was missing" input), none in 'b', 'c' or 'size'.
        var train = Table(Rows(80, seed: 1), (i, column) => (column == "a" && i % 7 == 3) || (column == "color" && i % 5 == 1));
        var (encoder, encoded, model, path) = FitAndExport(train, MissingPolicy.Impute, Activation.Relu);
        Assert.Contains("a_missing", encoder.FeatureNames);
        Assert.Contains("color=(missing)", encoder.FeatureNames);
        Assert.DoesNotContain("b_missing", encoder.FeatureNames);

        // Rows 0-3 each lack one field: two in columns that had empty fields in training, two in columns that had none.
        var rows = Rows(6, seed: 2);
        string[] blanks = ["a", "color", "b", "size"];
        var table = Table(rows, (i, column) => i < blanks.Length && blanks[i] == column);
        var numeric = Numeric(rows);
        numeric[0 * 3 + 0] = float.NaN;
        numeric[2 * 3 + 1] = float.NaN;
        var text = Text(rows);
        text["color"][1] = "";
        text["size"][3] = "";
        var (onnx, _) = OnnxRunner.Run(path, rows.Length, numeric, text);
        Assert.All(onnx, v => Assert.True(double.IsFinite(v)));
        AssertClose(Predict(model, encoder, table), onnx, 2, StdDevs(encoded.Targets!, 2));
    }

    [Fact]
    public void Missing_values_give_nan_under_the_drop_policy()
    {
        var (_, _, _, path) = FitAndExport(Table(Rows(60, seed: 1)), MissingPolicy.Drop, Activation.Relu);

        var rows = Rows(3, seed: 2);
        var numeric = Numeric(rows);
        numeric[0 * 3 + 2] = float.NaN;
        var text = Text(rows);
        text["size"][1] = "";
        var (onnx, _) = OnnxRunner.Run(path, rows.Length, numeric, text);
        Assert.True(double.IsNaN(onnx[0]) && double.IsNaN(onnx[1]), "a NaN numeric value must give NaN predictions");
        Assert.True(double.IsNaN(onnx[2]) && double.IsNaN(onnx[3]), "an empty text value must give NaN predictions");
        Assert.True(double.IsFinite(onnx[4]) && double.IsFinite(onnx[5]));
    }

    [Fact]
    public void Inputs_and_outputs_are_named_and_typed_as_documented()
    {
        var train = Table(Rows(40, seed: 4));
        var encoder = TableEncoder.Fit(train, new EncoderOptions { Targets = ["y1", "y2"] });
        var encoded = encoder.Encode(train, requireTargets: true);
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [3], Epochs = 2 });
        model.Fit(encoded);
        string path = Path.Combine(_folder, "names.onnx");
        OnnxExporter.Export(ModelFile.ToDocument(model) with { Table = encoder.State }, path);

        var (inputs, outputs) = OnnxRunner.Describe(path);
        Assert.Equal(["color", "numeric", "size"], inputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, inputs["numeric"].Type);
        Assert.Equal([-1, 3], inputs["numeric"].Shape);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String, inputs["color"].Type);
        Assert.Equal([-1, 1], inputs["size"].Shape);
        Assert.Equal([-1, 2], Assert.Single(outputs, kv => kv.Key == "predictions").Value);
    }

    [Fact]
    public void A_text_column_named_like_a_graph_input_is_refused_clearly()
    {
        string csv = "numeric,x,y\nred,1,2\nblue,2,3\nred,3,5\n";
        using var reader = new StringReader(csv);
        var table = DataTable.Load(reader, "clash.csv");
        var encoder = TableEncoder.Fit(table, new EncoderOptions { Targets = ["y"] });
        var encoded = encoder.Encode(table, requireTargets: true);
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [2], Epochs = 1 });
        model.Fit(encoded);
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(ModelFile.ToDocument(model) with { Table = encoder.State }));
        Assert.Contains("'numeric'", error.Message);
        Assert.Contains("Rename the column", error.Message);
    }

    [Fact]
    public void An_inconsistent_document_is_refused_before_anything_is_written()
    {
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [2], Epochs = 1 });
        model.Fit([[1.0], [2.0], [3.0]], [1.0, 2.0, 3.0]);
        var document = ModelFile.ToDocument(model);
        var broken = document with { Layers = [document.Layers[0] with { Biases = [1.0] }, document.Layers[1]] };
        string path = Path.Combine(_folder, "broken.onnx");
        Assert.Throws<ModelFormatException>(() => OnnxExporter.Export(broken, path));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    // ---- helpers ----

    // A small two-target model on the table under the policy, exported to a file named after the policy.
    private (TableEncoder Encoder, DataSet Encoded, MlpRegressor Model, string Path) FitAndExport(DataTable train, MissingPolicy missing, Activation activation)
    {
        var encoder = TableEncoder.Fit(train, new EncoderOptions { Targets = ["y1", "y2"], Missing = missing });
        var encoded = encoder.Encode(train, requireTargets: true);
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [5], Activation = activation, Epochs = 10, Seed = 2 });
        model.Fit(encoded);
        string path = Path.Combine(_folder, missing.ToString().ToLowerInvariant() + ".onnx");
        OnnxExporter.Export(ModelFile.ToDocument(model) with { Table = encoder.State }, path);
        return (encoder, encoded, model, path);
    }

    private sealed record Row(double A, string Color, double B, double C, string Size, double Y1, double Y2);

    // Columns interleave numeric and text so the graph must put the pieces back in order.
    private static Row[] Rows(int n, int seed)
    {
        var rng = new Random(seed);
        string[] colors = ["red", "green", "blue"];
        string[] sizes = ["S", "M", "L", "XL"];
        return Enumerable.Range(0, n).Select(_ =>
        {
            double a = 150 + 30 * rng.NextDouble(), b = rng.NextDouble() * 2 - 1, c = 1e4 * rng.NextDouble();
            int color = rng.Next(colors.Length), size = rng.Next(sizes.Length);
            return new Row(a, colors[color], b, c, sizes[size],
                200 + a + 30 * color - 50 * b * b + 1e-3 * c, -5 + size * b + 0.01 * a);
        }).ToArray();
    }

    private static DataTable Table(Row[] rows, int blankA = -1, int blankColor = -1) =>
        Table(rows, (i, column) => (column == "a" && i == blankA) || (column == "color" && i == blankColor));

    // blank(row, column) says which feature fields to leave empty.
    private static DataTable Table(Row[] rows, Func<int, string, bool> blank)
    {
        var sb = new StringBuilder("a,color,b,c,size,y1,y2\n");
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            string Field(string column, string value) => blank(i, column) ? "" : value;
            sb.Append(Field("a", F(r.A))).Append(',').Append(Field("color", r.Color)).Append(',')
              .Append(Field("b", F(r.B))).Append(',').Append(Field("c", F(r.C))).Append(',').Append(Field("size", r.Size)).Append(',')
              .Append(F(r.Y1)).Append(',').Append(F(r.Y2)).Append('\n');
        }
        using var reader = new StringReader(sb.ToString());
        return DataTable.Load(reader, "rows.csv");
    }

    // The raw values as ONNX gets them: numbers rounded to float32 (as a caller would pass them).
    private static string F(double v) => ((double)(float)v).ToString("R", CultureInfo.InvariantCulture);

    private static float[] Numeric(Row[] rows) => rows.SelectMany(r => new[] { (float)r.A, (float)r.B, (float)r.C }).ToArray();

    private static Dictionary<string, string[]> Text(Row[] rows) => new()
    {
        ["color"] = rows.Select(r => r.Color).ToArray(),
        ["size"] = rows.Select(r => r.Size).ToArray(),
    };

    private static double[] Predict(MlpRegressor model, TableEncoder encoder, DataTable table)
    {
        var encoded = encoder.Encode(table, requireTargets: false);
        Assert.Equal(table.RowCount, encoded.Rows);
        return model.Predict(encoded.Inputs, encoded.Rows);
    }

    private static double[] StdDevs(double[][] y) => StdDevs(y.SelectMany(r => r).ToArray(), y[0].Length);

    internal static double[] StdDevs(double[] y, int width) => Enumerable.Range(0, width).Select(t =>
    {
        var column = Enumerable.Range(0, y.Length / width).Select(i => y[i * width + t]).ToArray();
        double mean = column.Average();
        return Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / column.Length);
    }).ToArray();

    internal static void AssertClose(double[] expected, double[] actual, int width, double[] scale)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int t = 0; t < width; t++)
        {
            double worst = 0;
            for (int i = t; i < expected.Length; i += width)
                worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
            Assert.True(worst <= Tolerance * scale[t],
                $"target {t}: max |Backprop - ONNX Runtime| = {worst:G4}, more than {Tolerance} x its deviation {scale[t]:G4}");
        }
    }
}
