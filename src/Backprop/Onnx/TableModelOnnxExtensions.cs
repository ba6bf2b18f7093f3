using Backprop.Tables;

namespace Backprop.Onnx;

/// <summary><c>model.ExportOnnx(path)</c> for a table model: the whole pipeline, encoding included, as one ONNX graph.</summary>
public static class TableModelOnnxExtensions
{
    extension(TableModel model)
    {
        /// <summary>
        /// Writes the model as an ONNX model to <paramref name="path"/>, atomically: scaling of the numeric
        /// columns, one-hot encoding of the text columns, the network and the targets' de-scaling
        /// (see <see cref="OnnxExporter"/> and docs/onnx.md).
        /// </summary>
        /// <exception cref="NotSupportedException">The model uses something ONNX cannot express; the message says what.</exception>
        /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
        public void ExportOnnx(string path) => OnnxExporter.Export(model.ToDocument(), path);
    }
}
