using System.Text;
using System.Text.Json.Nodes;
using Backprop.Cli;
using Backprop.Data.Columns;
using Backprop.Regression;
using Backprop.Serialization;
using CsCheck;

namespace Backprop.Tests.Hostile;

/// <summary>
/// Property-based tests of the model-file loader on random bytes, byte-level mutations of valid files
/// and structural ones (a field replaced by a huge number, a NaN literal, deep nesting, a giant
/// declared shape, a value of the wrong type, a duplicated or deleted key): every input gives a model
/// that predicts, or a <see cref="ModelFormatException"/> with a one-line message, quickly and in
/// memory proportional to its size.
/// </summary>
public sealed class ModelFileProperties
{
    private const int Iterations = 300;

    /// <summary>Values put in place of a field, as raw JSON.</summary>
    internal static readonly string[] HostileValues =
    [
        "1e308", "1e309", "-1e309", "NaN", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "Infinity", "2000000000", "-2000000000", "2147483648",
        "99999999999999999999", "50000000", "49999999", "-1", "0", "1.5", "1e-400", "-0", "null", "true", "false", "\"\"", "\"text\"", "{}", "[]",
        "[null]", "[1e309]", "[\"NaN\"]", "[[]]", "[{}]", "\"\\u0000\"", "\"single\"", "\"double\"", "\"relu\"", "\"identity\"", "\"text\"",
        "\"numeric\"", "\"mean\"", "[\"a\",\"a\"]", "[\"b\",\"a\"]", "{\"name\":\"a\",\"kind\":\"numeric\",\"mean\":0,\"scale\":1}",
        "\"9999-99-99\"", "\"2024-01-01T00:00:00Z\"", new string('[', 5000) + new string(']', 5000), "[" + string.Join(",", Enumerable.Repeat("0", 5000)) + "]",
        "[" + string.Join(",", Enumerable.Repeat("[1]", 300)) + "]", "\"" + new string('x', 10000) + "\"",
    ];

    /// <summary>Bytes inserted at random places.</summary>
    private static readonly string[] Fragments = [.. HostileValues, "{", "}", "[", "]", ",", ":", "\"", "\\", "\"units\": 2000000000,", "\"inputs\": 2000000000,", "\u00ff", "\0", "//", "/*"];

    private static byte[] Valid() => SmallModels.ValidJson();

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 600];

    private static readonly Gen<byte[]> ByteMutations = ByteEdits.Of(Valid, Gen.OneOf(Fragments), maxDelete: 60);

    /// <summary>
    /// Every object property and the first element of every array of the valid file, so that each
    /// field (not each of the many weights) is about as likely to be picked.
    /// </summary>
    private static List<JsonNode> Targets(JsonNode root)
    {
        var found = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        if (child is not null)
                            found.Add(child);
                        Walk(child);
                    }
                    break;
                case JsonArray a when a.Count > 0:
                    if (a[0] is { } first)
                        found.Add(first);
                    foreach (var child in a)
                        Walk(child);
                    break;
            }
        }
        Walk(root);
        return found;
    }

    /// <summary>1 to 3 structural edits: replace a field's value, duplicate a key with a hostile value, delete a key, rename a key.</summary>
    internal static readonly Gen<byte[]> StructuralMutations =
        Gen.Select(Gen.Int[0, 3], Gen.Int, Gen.OneOf(HostileValues)).Array[1, 3].Select(edits =>
        {
            var root = JsonNode.Parse(Valid())!;
            var raw = new List<string>();
            foreach (var (kind, pick, value) in edits)
            {
                var targets = Targets(root);
                if (targets.Count == 0)
                    break;
                var node = targets[(int)((uint)pick % (uint)targets.Count)];
                string marker = $"__HOSTILE_{raw.Count}__";
                var parent = node.Parent;
                switch (kind)
                {
                    case 0:
                        node.ReplaceWith(marker);
                        raw.Add(value);
                        break;
                    case 1 when parent is JsonObject:
                        {
                            // A duplicated key: the same name again, with a hostile value, before the original.
                            string name = node.GetPropertyName(), original = node.ToJsonString();
                            node.ReplaceWith(marker);
                            raw.Add($"{value}, \"{name}\": {original}");
                            break;
                        }
                    case 2 when parent is JsonObject o:
                        o.Remove(node.GetPropertyName());
                        break;
                    case 2 when parent is JsonArray a:
                        a.Remove(node);
                        break;
                    case 3 when parent is JsonObject o:
                        {
                            // An unknown key in place of a known one.
                            string name = node.GetPropertyName(), original = node.ToJsonString();
                            o.Remove(name);
                            o[name.ToUpperInvariant() + "_x"] = JsonValue.Create(marker);
                            raw.Add(original);
                            break;
                        }
                    default:
                        node.ReplaceWith(marker);
                        raw.Add(value);
                        break;
                }
            }
            string text = root.ToJsonString();
            for (int i = 0; i < raw.Count; i++)
                text = text.Replace($"\"__HOSTILE_{i}__\"", raw[i]);
            return Encoding.UTF8.GetBytes(text);
        });

    /// <summary>Loads the bytes as the library does; a model that loads must predict finite numbers for a zero row.</summary>
    internal static void LoadEveryWay(byte[] bytes) => LoadEveryWay(bytes, "");

    internal static void LoadEveryWay(byte[] bytes, string context)
    {
        ModelDocument? document = null;
        Bounded.Run(bytes, context, () =>
        {
            document = ModelFile.Read(new MemoryStream(bytes), "fuzz.model.json");
            // Every network of an ensemble is a model in its own right.
            for (int k = 0; k <= (document.Members?.Count ?? 0); k++)
            {
                var model = ModelFile.ToModel(ModelFile.Member(document, k), "fuzz.model.json");
                var y = model.Predict(new double[model.FeatureCount], 1);
                Assert.Equal(model.TargetCount, y.Length);
                Assert.All(y, v => Assert.True(double.IsFinite(v), $"a loaded model predicted {v} for a zero row"));
            }
        }, typeof(ModelFormatException));
        if (document?.Table is { } table)
            Bounded.Run(bytes, context, () => TableEncoder.FromState(table), typeof(InvalidDataException));
    }

    /// <summary>The command-line tool on the same bytes: exit 0 or 2, one error line, never an internal error.</summary>
    internal static void InspectWithTheCli(byte[] bytes) => InspectWithTheCli(bytes, "");

    internal static void InspectWithTheCli(byte[] bytes, string context)
    {
        string path = Path.Combine(Path.GetTempPath(), "backprop-hostile-" + Guid.NewGuid().ToString("N") + ".model.json");
        File.WriteAllBytes(path, bytes);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = -1;
            Bounded.Run(bytes, context + " (inspect)", () => code = CliApp.Run(["inspect", path], stdout, stderr));
            string err = stderr.ToString();
            Assert.True(code is 0 or 2, $"exit {code}: {err}\ninput: {context} {Bounded.Show(bytes)}");
            Assert.DoesNotContain("internal error", err);
            if (code == 2)
                Assert.Single(err.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every field of the valid file (see <see cref="Targets"/>) replaced in turn by <paramref name="value"/>.</summary>
    internal static IEnumerable<(string Path, byte[] Bytes)> EveryFieldReplacedBy(string value) => EveryFieldReplacedBy(Valid(), value);

    /// <summary>Every field of <paramref name="valid"/> replaced in turn by <paramref name="value"/>.</summary>
    internal static IEnumerable<(string Path, byte[] Bytes)> EveryFieldReplacedBy(byte[] valid, string value)
    {
        int count = Targets(JsonNode.Parse(valid)!).Count;
        for (int i = 0; i < count; i++)
        {
            var root = JsonNode.Parse(valid)!;
            var node = Targets(root)[i];
            string path = node.GetPath();
            node.ReplaceWith("__HOSTILE__");
            yield return (path + " = " + (value.Length > 40 ? value[..40] + "..." : value), Encoding.UTF8.GetBytes(root.ToJsonString().Replace("\"__HOSTILE__\"", value)));
        }
    }

    /// <summary>The valid file with the field at <paramref name="path"/> (as <see cref="JsonNode.GetPath"/> writes it) replaced by raw JSON.</summary>
    internal static byte[] Replaced(string path, string value)
    {
        var root = JsonNode.Parse(Valid())!;
        Targets(root).Single(n => n.GetPath() == path).ReplaceWith("__HOSTILE__");
        return Encoding.UTF8.GetBytes(root.ToJsonString().Replace("\"__HOSTILE__\"", value));
    }

    [Fact]
    public void Every_field_of_an_ensemble_replaced_by_every_hostile_value_gives_a_model_or_a_ModelFormatException()
    {
        var ensemble = SmallModels.EnsembleJson();
        var document = ModelFile.Read(new MemoryStream(ensemble), "ensemble.model.json");
        Assert.Equal("log", document.TargetTransform);
        Assert.Single(document.Members!);
        Parallel.ForEach(HostileValues, value =>
        {
            foreach (var (path, bytes) in EveryFieldReplacedBy(ensemble, value).Where(f => f.Path.StartsWith("$.members", StringComparison.Ordinal) || f.Path.StartsWith("$.target_transform", StringComparison.Ordinal)))
                LoadEveryWay(bytes, path);
        });
    }

    [Fact]
    public void Every_field_replaced_by_every_hostile_value_gives_a_model_or_a_ModelFormatException() =>
        Parallel.ForEach(HostileValues, value =>
        {
            foreach (var (path, bytes) in EveryFieldReplacedBy(value))
                LoadEveryWay(bytes, path);
        });

    [Fact]
    public void The_cli_reports_every_field_replaced_by_a_wrong_value_as_bad_input() =>
        Parallel.ForEach(["null", "[null]", "{}", "\"text\"", "1e309", "-1", "2000000000", "[]"], value =>
        {
            foreach (var (path, bytes) in EveryFieldReplacedBy(value))
                InspectWithTheCli(bytes, path);
        });

    [Fact]
    public void The_valid_models_load_and_predict()
    {
        LoadEveryWay(SmallModels.ValidJson(Precision.Single));
        LoadEveryWay(SmallModels.ValidJson(Precision.Double));
        InspectWithTheCli(SmallModels.ValidJson());
    }

    [Fact]
    public void Random_bytes_give_a_model_or_a_ModelFormatException() =>
        RandomBytes.SampleFixed(LoadEveryWay, Iterations);

    [Fact]
    public void Byte_mutations_of_a_valid_file_give_a_model_or_a_ModelFormatException() =>
        ByteMutations.SampleFixed(LoadEveryWay, Iterations);

    [Fact]
    public void Structural_mutations_of_a_valid_file_give_a_model_or_a_ModelFormatException() =>
        StructuralMutations.SampleFixed(LoadEveryWay, Iterations * 2);

    [Fact]
    public void The_cli_reports_damaged_model_files_as_bad_input() =>
        Gen.OneOf(StructuralMutations, ByteMutations).SampleFixed(InspectWithTheCli, Iterations / 2);
}
