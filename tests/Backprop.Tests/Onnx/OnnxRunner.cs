using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime: the reference the exporter is checked against.</summary>
internal static class OnnxRunner
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="rows"/> rows.</summary>
    /// <param name="model">ONNX file.</param>
    /// <param name="rows">Batch size N.</param>
    /// <param name="numeric">[N, k] row-major, or null when the model has no numeric input.</param>
    /// <param name="text">Per text column, N strings.</param>
    /// <returns>The "predictions" output as [N, targets] row-major doubles, and its width.</returns>
    public static (double[] Values, int Width) Run(string model, int rows, float[]? numeric, IReadOnlyDictionary<string, string[]>? text = null)
    {
        using var session = new InferenceSession(model);
        var inputs = new Dictionary<string, OrtValue>();
        try
        {
            if (numeric is not null)
                inputs.Add("numeric", OrtValue.CreateTensorValueFromMemory(numeric, [rows, numeric.Length / rows]));
            foreach (var (name, values) in text ?? new Dictionary<string, string[]>())
                inputs.Add(name, OrtValue.CreateFromStringTensor(new DenseTensor<string>(values, [rows, 1])));
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs, ["predictions"]);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            Assert.Equal(2, shape.Length);
            Assert.Equal(rows, shape[0]);
            return (outputs[0].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray(), (int)shape[1]);
        }
        finally
        {
            foreach (var value in inputs.Values)
                value.Dispose();
        }
    }

    /// <summary>Input and output names and element types as ONNX Runtime sees them.</summary>
    public static (Dictionary<string, (TensorElementType Type, int[] Shape)> Inputs, Dictionary<string, int[]> Outputs) Describe(string model)
    {
        using var session = new InferenceSession(model);
        return (session.InputMetadata.ToDictionary(kv => kv.Key, kv => (kv.Value.ElementDataType, kv.Value.Dimensions)),
            session.OutputMetadata.ToDictionary(kv => kv.Key, kv => kv.Value.Dimensions));
    }
}
