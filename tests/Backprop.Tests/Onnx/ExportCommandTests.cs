using System.Globalization;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Serialization;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Onnx;

public sealed class ExportCommandTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Export_writes_a_model_that_onnx_runtime_runs_like_predict()
    {
        string onnx = _h.PathOf("diabetes.onnx");
        var (code, output, err) = _h.Run("export", trained.Path, "--onnx", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("ONNX model written to " + onnx, output);
        Assert.Contains("'numeric' [N, 10]", output);
        Assert.Empty(Directory.GetFiles(_h.Folder, "*.tmp"));

        // Every row of the training file, raw, through ONNX Runtime and through Backprop.
        var document = ModelFile.Read(trained.Path);
        var encoder = TableEncoder.FromState(document.Table!);
        var model = ModelFile.ToModel(document);
        var table = DataTable.Load(CliHarness.Sample("diabetes.csv"));
        var encoded = encoder.Encode(table, requireTargets: true);
        var expected = model.Predict(encoded.Inputs, encoded.Rows);
        var features = document.Table!.Columns.Select(c => table.Column(c.Name)).ToArray();
        var numeric = new float[table.RowCount * features.Length];
        for (int i = 0; i < table.RowCount; i++)
            for (int j = 0; j < features.Length; j++)
                numeric[i * features.Length + j] = float.Parse(features[j][i], CultureInfo.InvariantCulture);
        var (actual, width) = OnnxRunner.Run(onnx, table.RowCount, numeric);
        Assert.Equal(1, width);
        double std = Math.Sqrt(encoded.Targets!.Select(y => (y - encoded.Targets!.Average()) * (y - encoded.Targets!.Average())).Average());
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5 * std, $"max |Backprop - ONNX Runtime| = {worst}, target deviation {std}");
    }

    [Fact]
    public void Export_errors_are_one_line_with_exit_code_2()
    {
        var (code, _, err) = _h.Run("export", _h.PathOf("none.json"), "--onnx", _h.PathOf("m.onnx"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd().Split('\n'));

        (code, _, err) = _h.Run("export", trained.Path, "--onnx", Path.Combine(_h.Folder, "nodir", "m.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("--onnx", err);

        (code, _, err) = _h.Run("export", trained.Path);
        Assert.Equal(2, code);
        Assert.Contains("--onnx", err);

        string notModel = _h.Write("bad.json", "{\"format\": \"something\"}");
        (code, _, err) = _h.Run("export", notModel, "--onnx", _h.PathOf("m.onnx"));
        Assert.Equal(2, code);
        Assert.False(File.Exists(_h.PathOf("m.onnx")));
    }
}
