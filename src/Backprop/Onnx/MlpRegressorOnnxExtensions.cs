using Backprop.Regression;

namespace Backprop.Onnx;

/// <summary><c>model.ExportOnnx(path)</c>, kept next to the exporter so that the regressor does not depend on ONNX.</summary>
public static class MlpRegressorOnnxExtensions
{
    extension(MlpRegressor model)
    {
        /// <summary>
        /// Writes the fitted model as an ONNX model to <paramref name="path"/>, atomically: one float input
        /// <c>numeric</c> [N, FeatureCount] and one output <c>predictions</c> [N, TargetCount] in the targets'
        /// units, input and target scaling included (see <see cref="OnnxExporter"/> and docs/onnx.md).
        /// </summary>
        /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
        /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
        public void ExportOnnx(string path) => OnnxExporter.Export(model, path);
    }
}
