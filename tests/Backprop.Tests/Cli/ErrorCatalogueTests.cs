using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Cli;

/// <summary>
/// docs/errors.md is the catalogue of every error the command line prints, and this test's data: each
/// table row is run in-process and must give its exit code, one <c>error:</c> line on stderr holding
/// every listed fragment, no stack trace and no file left behind. A second test checks that every
/// <c>CliException</c> message in the source appears in the catalogue, so the two cannot drift apart.
/// </summary>
public sealed partial class ErrorCatalogueTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    public sealed record Entry(string Id, int Exit, string Command, string File, string[] Fragments)
    {
        public override string ToString() => Id;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Backprop.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Backprop.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Catalogue() => File.ReadAllText(Path.Combine(RepoRoot(), "docs", "errors.md"));

    [GeneratedRegex(@"^\| ([A-Z]\d+) \| (\d) \| `(.*?)` \|(.*?)\| (.*) \|$")]
    private static partial Regex Row();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    public static IEnumerable<Entry> Entries() =>
        Catalogue().Split('\n').Select(l => Row().Match(l.TrimEnd('\r'))).Where(m => m.Success).Select(m => new Entry(
            m.Groups[1].Value,
            int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups[3].Value,
            m.Groups[4].Value.Trim().Trim('`'),
            Code().Matches(m.Groups[5].Value).Select(c => c.Groups[1].Value.Replace("\\|", "|")).ToArray()));

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var e in Entries())
            data.Add(e.Id);
        return data;
    }

    [Fact]
    public void The_catalogue_has_unique_ids_and_every_row_lists_fragments()
    {
        var entries = Entries().ToList();
        Assert.True(entries.Count >= 90, $"only {entries.Count} rows parsed from docs/errors.md");
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        Assert.All(entries, e => Assert.NotEmpty(e.Fragments));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_catalogued_error_is_printed_as_documented(string id)
    {
        var entry = Entries().Single(e => e.Id == id);
        using var h = new CliHarness();
        string content = entry.File.Replace("\\n", "\n");
        var args = entry.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token => token switch
        {
            "\"\"" => "",
            "DIABETES" => CliHarness.Sample("diabetes.csv"),
            "MODEL" => trained.Path,
            "CSV" => h.Write("data.csv", content),
            "JSON" => h.Write("model.json", content),
            "DIR" => h.Folder,
            "MISSING" => h.PathOf(Path.Combine("missing", "x.csv")),
            "OUT" => h.PathOf("out.file"),
            _ when token.StartsWith("MODEL[", StringComparison.Ordinal) => h.Write("model.json", Edit(File.ReadAllText(trained.Path), token[6..^1])),
            _ => token,
        }).ToArray();
        var before = Directory.GetFileSystemEntries(h.Folder, "*", SearchOption.AllDirectories).Order().ToArray();

        var (code, output, err) = h.Run(args);

        string context = $"{entry.Id}: backprop {string.Join(' ', args)}\nstdout: {output}\nstderr: {err}";
        Assert.True(code == entry.Exit, $"exit {code}, documented {entry.Exit}. {context}");
        var lines = err.TrimEnd('\n', '\r').Split('\n');
        var errors = lines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1 && lines.All(l => l.StartsWith("error: ", StringComparison.Ordinal) || l.StartsWith("warning: ", StringComparison.Ordinal)),
            $"stderr is not one error line. {context}");
        foreach (var fragment in entry.Fragments)
            Assert.True(errors[0].Contains(fragment, StringComparison.Ordinal), $"'{fragment}' not in the message. {context}");
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("internal error", err);
        var after = Directory.GetFileSystemEntries(h.Folder, "*", SearchOption.AllDirectories).Order().ToArray();
        Assert.True(before.SequenceEqual(after), $"files left behind: {string.Join(", ", after.Except(before))}. {context}");
    }

    /// <summary>Replaces the value at a path such as <c>$.layers[0].units</c> with raw JSON: <c>$.layers[0].units=7</c>.</summary>
    private static string Edit(string json, string edit)
    {
        int eq = edit.IndexOf('=', StringComparison.Ordinal);
        string path = edit[..eq], value = edit[(eq + 1)..];
        var root = JsonNode.Parse(json)!;
        var steps = Regex.Matches(path, @"\.([a-z_]+)|\[(\d+)\]").ToArray();
        JsonNode parent = root;
        foreach (var step in steps[..^1])
            parent = step.Groups[1].Success ? parent[step.Groups[1].Value]! : parent[Index(step)]!;
        // Set through the parent, so that a null field can be replaced too.
        if (steps[^1].Groups[1].Success)
            parent[steps[^1].Groups[1].Value] = "__EDIT__";
        else
            parent[Index(steps[^1])] = "__EDIT__";
        return root.ToJsonString().Replace("\"__EDIT__\"", value);
    }

    private static int Index(Match step) => int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Every_CliException_message_in_the_source_is_in_the_catalogue()
    {
        string catalogue = Catalogue();
        var missing = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "src", "Backprop.Cli"), "*.cs"))
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(file), @"new CliException\(\$?""(.*)""\s*[,)]"))
            {
                // The message without its interpolations; its longest literal stretch (first 30 characters) identifies it.
                var parts = Regex.Split(m.Groups[1].Value, @"\{[^{}]*\}").Select(p => p.Trim(' ', '.', ';', ':', '\'', '(', ')'));
                string key = parts.OrderByDescending(p => p.Length).First();
                key = key.Length > 30 ? key[..30] : key;
                if (!catalogue.Contains(key, StringComparison.Ordinal))
                    missing.Add($"{Path.GetFileName(file)}: \"{key}\"");
            }
        }
        Assert.True(missing.Count == 0, "not in docs/errors.md:\n" + string.Join('\n', missing));
    }
}
