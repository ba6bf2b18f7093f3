using System.Text.RegularExpressions;
using Backprop.Tests.Packaging;

namespace Backprop.Tests.Architecture;

/// <summary>
/// The library's rooms depend one way only: engine, then Regression, Data, Serialization, Tables,
/// Onnx. A file may use its own room and the rooms before it, never one after it.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string[] Layers = ["Regression", "Data", "Serialization", "Tables", "Onnx"];

    [Fact]
    public void No_room_uses_a_room_after_it()
    {
        string library = Path.Combine(PackagingTests.RepositoryRoot(), "src", "Backprop");
        var breaches = new List<string>();
        foreach (string file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(library, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2 || parts[0] is "bin" or "obj")
                continue;
            string room = parts[0];
            int own = Array.IndexOf(Layers, room); // -1: an engine room, below them all
            // Comments may name any room (to point a reader at it); only code depends on one.
            string text = Comment().Replace(File.ReadAllText(file), "");
            foreach (Match m in Reference().Matches(text))
            {
                if (Array.IndexOf(Layers, m.Groups[1].Value) > own)
                    breaches.Add($"{relative} uses {m.Groups[1].Value}");
            }
        }
        Assert.Empty(breaches.Distinct());
    }

    [Fact]
    public void The_check_sees_a_reference()
    {
        Assert.Equal("Serialization", Reference().Match("using Backprop.Serialization;").Groups[1].Value);
        Assert.Equal("Onnx", Reference().Match("=> Onnx.OnnxExporter.Export(this, path);").Groups[1].Value);
        Assert.DoesNotMatch(Reference(), "report.Data.Streamed");
    }

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();

    // "using Backprop.Tables;", "Backprop.Onnx.X", or a namespace-qualified "Serialization.ModelFile".
    [GeneratedRegex(@"(?<![\w.])(?:Backprop\.)?(Regression|Data|Serialization|Tables|Onnx)(?=\.[A-Z]|;)")]
    private static partial Regex Reference();
}
