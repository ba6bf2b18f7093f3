using System.CommandLine;
using Backprop.Onnx;
using Backprop.Tables;

namespace Backprop.Cli;

/// <summary><c>backprop export MODEL --onnx FILE</c>: the model and its encoding as one ONNX graph.</summary>
internal static class ExportCommand
{
    public static Command Create(Io io)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file written by 'backprop train'." };
        var onnx = new Option<string>("--onnx") { Description = "ONNX file to write (atomically: complete or not at all).", HelpName = "FILE", Required = true };
        var command = new Command("export",
            "Write the model as a standard ONNX model (ai.onnx opset " + OnnxExporter.Opset + ") holding the whole pipeline: " +
            "scaling of the numeric columns, one-hot encoding of the text columns, the network and the targets' de-scaling. " +
            "Inputs: 'numeric' (float [N, numeric columns], in the model's column order) and one string input [N, 1] per text column, " +
            "named by the column; output: 'predictions' (float [N, targets]) in the targets' units. See docs/onnx.md.\n\n" +
            "Examples:\n" +
            "  backprop export diabetes.model.json --onnx diabetes.onnx")
        { model, onnx };
        CliApp.SetAction(command, io, p => Run(io, p.GetValue(model)!, p.GetValue(onnx)!));
        return command;
    }

    private static int Run(Io io, string modelPath, string onnxPath)
    {
        OutputPaths.CheckWritableFile(onnxPath, "--onnx");
        var model = TableModel.Load(modelPath);
        try
        {
            OutputPaths.Write(onnxPath, "--onnx", () => model.ExportOnnx(onnxPath));
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"{Path.GetFileName(modelPath)}: {e.Message}");
        }
        var table = model.Encoder.State;
        int numeric = table.Columns.Count(c => c.Kind == Data.Csv.ColumnKind.Numeric);
        var text = table.Columns.Where(c => c.Kind == Data.Csv.ColumnKind.Text).Select(c => $"'{c.Name}'").ToArray();
        io.Out.WriteLine($"ONNX model written to {onnxPath} (opset {OnnxExporter.Opset}; inputs: " +
            (numeric > 0 ? $"'{OnnxExporter.NumericInput}' [N, {numeric}]" : "") +
            (numeric > 0 && text.Length > 0 ? ", " : "") +
            (text.Length > 0 ? string.Join(", ", text) + " [N, 1] strings" : "") +
            $"; output: '{OnnxExporter.PredictionsOutput}' [N, {model.TargetNames.Count}]).");
        return ExitCodes.Ok;
    }
}
