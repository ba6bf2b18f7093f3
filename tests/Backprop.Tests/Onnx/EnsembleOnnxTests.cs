using Backprop.Data.Csv;
using Backprop.Onnx;
using Backprop.Tables;
using Backprop.Tests.Cli;
using Backprop.Tests.Tables;

namespace Backprop.Tests.Onnx;

/// <summary>
/// The search's model exported to ONNX: one graph that runs every fold network and averages them
/// (after e^x for a log target), matching the model's own predictions in ONNX Runtime to 1e-5 of
/// the target's standard deviation.
/// </summary>
public sealed class EnsembleOnnxTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData(TargetTransform.None)]
    [InlineData(TargetTransform.Log)]
    public void An_ensemble_runs_in_onnx_runtime_as_it_predicts(TargetTransform transform)
    {
        string data = CliHarness.Sample("diabetes.csv");
        var model = TableModel.Fit(data, SearchTests.Options with { TargetTransform = transform });
        Assert.Equal(5, model.Members.Count);
        string path = _h.PathOf("ensemble.onnx");
        model.ExportOnnx(path);

        var table = DataTable.Load(data);
        var rows = model.Encoder.Encode(table, requireTargets: true);
        var expected = model.Predict(rows.Inputs, rows.Rows);
        // Every diabetes column is numeric, so the graph's numeric input is the encoded rows before scaling: the file's columns.
        var numeric = Enumerable.Range(0, table.RowCount)
            .SelectMany(i => model.Encoder.State.Columns.Select(c => float.Parse(table[i, table.IndexOf(c.Name)], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
        var (onnx, width) = OnnxRunner.Run(path, table.RowCount, numeric);

        Assert.Equal(1, width);
        OnnxExportTests.AssertClose(expected, onnx, 1, OnnxExportTests.StdDevs(rows.Targets, 1));
    }
}
