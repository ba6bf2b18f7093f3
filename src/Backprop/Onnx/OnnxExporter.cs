using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Backprop.Activations;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;
using Backprop.Serialization;
using Google.Protobuf;
using Proto = global::Onnx;

namespace Backprop.Onnx;

/// <summary>
/// Writes a fitted model as a standard ONNX model holding the whole prediction pipeline, so that
/// ONNX Runtime (or any ONNX runtime) on raw inputs returns predictions in the targets' units.
/// docs/onnx.md describes the graph, its inputs and outputs, and how to run it.
/// </summary>
/// <remarks>
/// <para>Inputs: <c>numeric</c>, float32 <c>[N, k]</c>, the numeric feature columns in the model's
/// column order (for a model fitted on arrays: all its features); and for each text column of a
/// model trained on a table, one string input <c>[N, 1]</c> named by the column. Output:
/// <c>predictions</c>, float32 <c>[N, targets]</c>, targets in the model's order. The column and
/// target names are also in the model's metadata (<c>numeric_columns</c>, <c>text_columns</c>,
/// <c>targets</c>, JSON arrays).</para>
/// <para>The graph: numeric columns <c>(x - mean) / scale</c>; text columns one-hot against the
/// training categories with <c>Equal</c> and <c>Cast</c> (an unseen category is all zeros); the
/// pieces concatenated in the model's feature order; the input scaler if the model has one; each
/// dense layer as <c>Gemm</c> (transB = 1, W is [units, inputs]) and its activation (GELU composed
/// from Mul, Add and Tanh in its tanh form); the targets mapped back with <c>y * scale + mean</c>.</para>
/// <para>Missing values follow the model's <see cref="MissingPolicy"/>: under
/// <see cref="MissingPolicy.Impute"/> a NaN numeric value becomes the training median (<c>IsNaN</c>,
/// <c>Where</c>) and sets the column's 0/1 "was missing" input if it has one, and an empty string is
/// the category (missing) if the column has one, all zeros otherwise; under
/// <see cref="MissingPolicy.Mean"/> a NaN numeric value becomes the training mean and an empty
/// string all zeros; as Backprop itself does. Under Error and Drop, where Backprop refuses such a
/// row, a NaN numeric value or an empty string gives NaN predictions for that row (never a number).</para>
/// <para>Arithmetic is float32 throughout, so the results agree with Backprop's own predictions to
/// about 1e-6 of the target's scale, not bit for bit. Opset: ai.onnx <see cref="Opset"/>, IR version
/// <see cref="IrVersion"/>.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ai.onnx operator set the graph imports.</summary>
    public const int Opset = 21;

    /// <summary>The ONNX IR version written (the one that goes with <see cref="Opset"/>).</summary>
    public const int IrVersion = 10;

    /// <summary>Name of the float input holding the numeric columns.</summary>
    public const string NumericInput = "numeric";

    /// <summary>Name of the output holding every target's prediction.</summary>
    public const string PredictionsOutput = "predictions";

    /// <summary>Writes <paramref name="model"/> as ONNX to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="ModelFormatException">The document is inconsistent (as <see cref="ModelFile.Read(string)"/> would report).</exception>
    /// <exception cref="NotSupportedException">The model uses something ONNX export cannot express; the message names it.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Export(ModelDocument model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var proto = Build(model);
        AtomicFile.Write(path, proto.WriteTo);
    }

    /// <summary>Writes <paramref name="model"/> as ONNX to a stream.</summary>
    /// <exception cref="ModelFormatException">The document is inconsistent.</exception>
    /// <exception cref="NotSupportedException">The model uses something ONNX export cannot express; the message names it.</exception>
    public static void Export(ModelDocument model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        Build(model).WriteTo(stream);
    }

    /// <summary>Writes a fitted regressor (fitted on arrays: one <c>numeric</c> input) as ONNX to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public static void Export(MlpRegressor model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Export(ModelFile.ToDocument(model), path);
    }

    /// <summary>The ONNX model as bytes.</summary>
    public static byte[] ToBytes(ModelDocument model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model).ToByteArray();
    }

    internal static Proto.ModelProto Build(ModelDocument d)
    {
        ModelFile.Validate(d, null);
        var g = new GraphBuilder();
        int outputs = d.Layers[^1].Units;
        var targets = d.Table?.Targets ?? d.TargetNames ?? Enumerable.Range(1, outputs).Select(k => "y" + k.ToString(CultureInfo.InvariantCulture)).ToArray();

        string features;
        string[] numericNames;
        string[] textNames;
        bool fills;
        if (d.Table is { } table)
        {
            var encoder = FromState(table);
            if (table.Columns.FirstOrDefault(c => c.Kind == ColumnKind.Date) is { } date)
                throw new NotSupportedException($"column '{date.Name}' holds dates, which ONNX export cannot encode (ONNX has no date parsing); retrain with --ignore {date.Name}, or write the date as numbers (such as a day count) in columns of their own.");
            if (encoder.FeatureCount != d.Inputs)
                throw new ModelFormatException(null, $"the table encoding gives {encoder.FeatureCount} inputs but the network takes {d.Inputs}.");
            if (encoder.TargetCount != outputs)
                throw new ModelFormatException(null, $"the table encoding names {encoder.TargetCount} targets but the network has {outputs} outputs.");
            fills = RowEncoder.Fills(table.Missing);
            numericNames = table.Columns.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name).ToArray();
            textNames = table.Columns.Where(c => c.Kind == ColumnKind.Text).Select(c => c.Name).ToArray();
            features = EncodeTable(g, table, numericNames.Length, fills);
        }
        else
        {
            fills = false;
            numericNames = d.FeatureNames?.ToArray() ?? Enumerable.Range(1, d.Inputs).Select(k => "x" + k.ToString(CultureInfo.InvariantCulture)).ToArray();
            textNames = [];
            features = g.Input(NumericInput, Proto.TensorProto.Types.DataType.Float, d.Inputs,
                "Features in the model's order: " + string.Join(", ", numericNames) + ". A NaN value gives NaN predictions for its row.");
        }

        // A NaN left in the features (a value Backprop would refuse) must reach the output even
        // through relu, whose NaN behaviour is not fixed: carry a per-row 0-or-NaN term past the network.
        string poison = g.Node("Mul", [g.Node("ReduceSum", [features, g.Int64s("axis1", [1])], "row_sum", Attr("keepdims", 1)), g.Floats("zero", [0f])], "nan_rows");

        string h = features;
        if (d.InputScaler is { } inScaler)
        {
            h = g.Node("Sub", [h, g.Floats("input_scaler.mean", F(inScaler.Mean))], "input_scaler.centered");
            h = g.Node("Div", [h, g.Floats("input_scaler.scale", F(inScaler.Scale))], "input_scaler.scaled");
        }
        // An ensemble's members each map the features to the targets' units; the prediction is their mean.
        int members = 1 + (d.Members?.Count ?? 0);
        var predictions = Enumerable.Range(0, members)
            .Select(k => Network(g, ModelFile.Member(d, k), h, d.TargetTransform == "log", members == 1 ? "" : "member" + (k + 1).ToString(CultureInfo.InvariantCulture) + "."))
            .ToArray();
        h = members == 1 ? predictions[0]
            : g.Node("Div", [g.Node("Sum", predictions, "ensemble.sum"), g.Floats("ensemble.count", [members])], "ensemble.mean");
        g.Node("Add", [h, poison], PredictionsOutput, exactName: true);
        g.Output(PredictionsOutput, outputs, "Predictions in the targets' units, columns in this order: " + string.Join(", ", targets) + ".");

        g.CheckNames(textNames);
        var model = new Proto.ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Backprop",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?",
            DocString = "A Backprop MLP regressor, or the mean of an ensemble of them, with its input encoding and target scaling (see Backprop's docs/onnx.md).",
            Graph = g.Graph,
        };
        model.Graph.Name = "backprop_mlp_regressor";
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = "", Version = Opset });
        AddMetadata(model, "numeric_columns", JsonSerializer.Serialize(numericNames));
        AddMetadata(model, "text_columns", JsonSerializer.Serialize(textNames));
        AddMetadata(model, "targets", JsonSerializer.Serialize(targets));
        AddMetadata(model, "missing", d.Table is null ? "none" : d.Table.Missing.ToString().ToLowerInvariant());
        return model;
    }

    // One network: its dense layers, its target de-scaling and, for a log target, e to the power.
    private static string Network(GraphBuilder g, ModelDocument d, string features, bool log, string prefix)
    {
        string h = features;
        int fanIn = d.Inputs;
        for (int l = 0; l < d.Layers.Count; l++)
        {
            var layer = d.Layers[l];
            string name = prefix + "layer" + (l + 1).ToString(CultureInfo.InvariantCulture);
            string w = g.Floats(name + ".weight", F(layer.Weights), layer.Units, fanIn);
            string b = g.Floats(name + ".bias", F(layer.Biases));
            h = g.Node("Gemm", [h, w, b], name + ".z", Attr("transB", 1));
            h = Activate(g, layer.Activation, h, name);
            fanIn = layer.Units;
        }
        if (d.TargetScaler is { } outScaler)
        {
            h = g.Node("Mul", [h, g.Floats(prefix + "target_scaler.scale", F(outScaler.Scale))], prefix + "target_scaler.scaled");
            h = g.Node("Add", [h, g.Floats(prefix + "target_scaler.mean", F(outScaler.Mean))], prefix + "target_scaler.shifted");
        }
        return log ? g.Node("Exp", [h], prefix + "target.exp") : h;
    }

    private static TableEncoder FromState(TableEncoderState table)
    {
        try
        {
            return TableEncoder.FromState(table);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(null, $"the table encoding is invalid: {e.Message}", e);
        }
    }

    // Returns the name of the [N, features] float tensor, in the model's feature order.
    private static string EncodeTable(GraphBuilder g, TableEncoderState table, int numericCount, bool fills)
    {
        var numeric = table.Columns.Where(c => c.Kind == ColumnKind.Numeric).ToArray();
        var indicated = numeric.Select((c, k) => (c, k)).Where(p => p.c.MissingIndicator).Select(p => (long)p.k).ToArray();
        string? block = null;
        if (numericCount > 0)
        {
            string x = g.Input(NumericInput, Proto.TensorProto.Types.DataType.Float, numericCount,
                "The numeric columns, in this order: " + string.Join(", ", numeric.Select(c => c.Name)) + "." +
                (fills ? $" NaN marks a missing value (replaced by the training {(table.Missing == MissingPolicy.Mean ? "mean" : "median")})." : " A NaN value gives NaN predictions for its row."));
            // Only filling and the indicators read it; an unused node would be dead weight in every graph.
            string? isNaN = fills || indicated.Length > 0 ? g.Node("IsNaN", [x], "numeric.missing") : null;
            string mean = g.Floats("numeric.mean", numeric.Select(c => (float)c.Mean!.Value).ToArray());
            if (fills)
                x = g.Node("Where", [isNaN!, g.Floats("numeric.fill", numeric.Select(c => (float)(c.Fill ?? c.Mean!.Value)).ToArray()), x], "numeric.filled");
            x = g.Node("Sub", [x, mean], "numeric.centered");
            block = g.Node("Div", [x, g.Floats("numeric.scale", numeric.Select(c => (float)c.Scale!.Value).ToArray())], "numeric.scaled");
            if (numericCount == table.Columns.Count && indicated.Length == 0)
                return block;
            if (indicated.Length > 0)
            {
                // The 0/1 "was missing" inputs go after the scaled values; the Gathers below put each beside its column.
                string flags = g.Node("Cast", [g.Node("Gather", [isNaN!, g.Int64s("numeric.indicated", indicated)], "numeric.indicated", Attr("axis", 1))],
                    "numeric.indicators", Attr("to", (long)Proto.TensorProto.Types.DataType.Float));
                block = g.Node("Concat", [block, flags], "numeric.block", Attr("axis", 1));
            }
        }

        var pieces = new List<string>();
        int numericIndex = 0, indicatorIndex = 0;
        for (int f = 0; f < table.Columns.Count;)
        {
            var c = table.Columns[f];
            if (c.Kind == ColumnKind.Numeric)
            {
                // A run of consecutive numeric columns, with their indicators, is one Gather of the numeric block.
                var indices = new List<long>();
                for (; f < table.Columns.Count && table.Columns[f].Kind == ColumnKind.Numeric; f++)
                {
                    indices.Add(numericIndex++);
                    if (table.Columns[f].MissingIndicator)
                        indices.Add(numericCount + indicatorIndex++);
                }
                pieces.Add(g.Node("Gather", [block!, g.Int64s("numeric.take", [.. indices])], "numeric.part", Attr("axis", 1)));
                continue;
            }
            // The missing category, when the column has one, is the empty string, after the real ones.
            IReadOnlyList<string> categories = c.MissingIndicator ? [.. c.Categories!, ""] : c.Categories!;
            string input = g.Input(c.Name, Proto.TensorProto.Types.DataType.String, 1,
                $"Text column '{c.Name}' ([N, 1] strings): one-hot against the {c.Categories!.Count} training categories; an unseen category is all zeros" +
                (c.MissingIndicator ? ", and an empty string (missing) is the category (missing)."
                    : fills ? ", and so is an empty string (missing)." : "; an empty string (missing) gives NaN predictions for its row."));
            string tag = "text" + f.ToString(CultureInfo.InvariantCulture);
            string hot = g.Node("Equal", [input, g.Strings(tag + ".categories", categories)], tag + ".equal");
            hot = g.Node("Cast", [hot], tag + ".onehot", Attr("to", (long)Proto.TensorProto.Types.DataType.Float));
            if (!fills)
            {
                string empty = g.Node("Equal", [input, g.Strings(tag + ".empty", [""])], tag + ".missing");
                hot = g.Node("Where", [empty, g.Floats("nan", [float.NaN]), hot], tag + ".checked");
            }
            pieces.Add(hot);
            f++;
        }
        return pieces.Count == 1 ? pieces[0] : g.Node("Concat", pieces, "features", Attr("axis", 1));
    }

    private static string Activate(GraphBuilder g, Activation activation, string z, string layer) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => g.Node("Sigmoid", [z], layer + ".a"),
        Activation.Tanh => g.Node("Tanh", [z], layer + ".a"),
        Activation.Relu => g.Node("Relu", [z], layer + ".a"),
        Activation.LeakyRelu => g.Node("LeakyRelu", [z], layer + ".a", Attr("alpha", (float)Activations.LeakyRelu.Slope)),
        Activation.Softplus => g.Node("Softplus", [z], layer + ".a"),
        Activation.Gelu => Gelu(g, z, layer),
        _ => throw new NotSupportedException($"ONNX export does not support the activation {activation} ({layer}).")
    };

    // a = 0.5 z (1 + tanh(c (z + k z^3))), c = sqrt(2/pi), k = 0.044715: the tanh form Backprop trains with.
    private static string Gelu(GraphBuilder g, string z, string layer)
    {
        string z3 = g.Node("Mul", [g.Node("Mul", [z, z], layer + ".z2"), z], layer + ".z3");
        string inner = g.Node("Add", [z, g.Node("Mul", [z3, g.Floats("gelu.k", [(float)Activations.Gelu.K])], layer + ".kz3")], layer + ".inner");
        string t = g.Node("Tanh", [g.Node("Mul", [inner, g.Floats("gelu.c", [(float)Activations.Gelu.C])], layer + ".scaled")], layer + ".t");
        string half = g.Node("Mul", [z, g.Floats("half", [0.5f])], layer + ".half");
        return g.Node("Mul", [half, g.Node("Add", [t, g.Floats("one", [1f])], layer + ".one_plus_t")], layer + ".a");
    }

    private static float[] F(double[] values) => values.Select(v => (float)v).ToArray();

    private static void AddMetadata(Proto.ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new Proto.StringStringEntryProto { Key = key, Value = value });

    private static Proto.AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Int, I = value };

    private static Proto.AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Collects nodes, initializers and the graph's inputs and outputs under unique names.</summary>
    private sealed class GraphBuilder
    {
        private const string Prefix = "backprop/";
        private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public Proto.GraphProto Graph { get; } = new();

        public string Input(string name, Proto.TensorProto.Types.DataType type, long width, string doc)
        {
            Graph.Input.Add(ValueInfo(name, type, width, doc));
            return name;
        }

        public void Output(string name, long width, string doc) =>
            Graph.Output.Add(ValueInfo(name, Proto.TensorProto.Types.DataType.Float, width, doc));

        public string Node(string op, IEnumerable<string> inputs, string hint, params Proto.AttributeProto[] attributes) =>
            Node(op, inputs, hint, false, attributes);

        public string Node(string op, IEnumerable<string> inputs, string hint, bool exactName, params Proto.AttributeProto[] attributes)
        {
            string output = exactName ? hint : Unique(hint);
            var node = new Proto.NodeProto { OpType = op, Name = output };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            Graph.Node.Add(node);
            return output;
        }

        public string Floats(string name, float[] values, params long[] dims)
        {
            var t = new Proto.TensorProto { DataType = (int)Proto.TensorProto.Types.DataType.Float };
            t.Dims.AddRange(dims.Length > 0 ? dims : [values.Length]);
            t.FloatData.AddRange(values);
            return Constant(name, t);
        }

        public string Int64s(string name, long[] values)
        {
            var t = new Proto.TensorProto { DataType = (int)Proto.TensorProto.Types.DataType.Int64 };
            t.Dims.Add(values.Length);
            t.Int64Data.AddRange(values);
            return Constant(name, t);
        }

        public string Strings(string name, IReadOnlyList<string> values)
        {
            var t = new Proto.TensorProto { DataType = (int)Proto.TensorProto.Types.DataType.String };
            t.Dims.Add(values.Count);
            foreach (var v in values)
                t.StringData.Add(ByteString.CopyFromUtf8(v));
            return Constant(name, t);
        }

        /// <summary>Text inputs are named by their columns: refuse a column whose name the graph already uses.</summary>
        public void CheckNames(IEnumerable<string> textColumns)
        {
            var reserved = new HashSet<string>(_names, StringComparer.Ordinal) { NumericInput, PredictionsOutput };
            foreach (var name in textColumns)
            {
                if (reserved.Contains(name))
                    throw new NotSupportedException(
                        $"ONNX export cannot name an input after the text column '{name}': the exported graph already uses that name " +
                        $"(the inputs are '{NumericInput}' and one per text column, the output '{PredictionsOutput}'). Rename the column and train again.");
            }
        }

        // Identical constants (the same name and content) are stored once.
        private string Constant(string name, Proto.TensorProto tensor)
        {
            string key = name + "\n" + tensor.ToByteString().ToBase64();
            if (_constants.TryGetValue(key, out var existing))
                return existing;
            tensor.Name = Unique(name);
            Graph.Initializer.Add(tensor);
            _constants.Add(key, tensor.Name);
            return tensor.Name;
        }

        private string Unique(string hint)
        {
            string name = Prefix + hint;
            for (int k = 2; !_names.Add(name); k++)
                name = Prefix + hint + "_" + k.ToString(CultureInfo.InvariantCulture);
            return name;
        }

        private static Proto.ValueInfoProto ValueInfo(string name, Proto.TensorProto.Types.DataType type, long width, string doc)
        {
            var shape = new Proto.TensorShapeProto();
            shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimParam = "N" });
            shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimValue = width });
            return new Proto.ValueInfoProto
            {
                Name = name,
                DocString = doc,
                Type = new Proto.TypeProto { TensorType = new Proto.TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
            };
        }
    }
}
