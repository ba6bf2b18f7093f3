using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Backprop.Tests.Packaging;

/// <summary>
/// What a user who has only the packages gets: packs the library, the ML.NET trainer and this
/// platform's tool package into a local folder feed, installs the tool from it and trains with it
/// (plots included, so the platform's native plotting library is in its package), and builds a
/// fresh console project that references the library package. Shells out to the dotnet CLI: one
/// to two minutes. Offline when the user's package cache holds what the sources reference (see
/// NugetConfig).
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackagingTests : IDisposable
{
    /// <summary>
    /// The tool package of one platform may weigh at most this: a fifth of the 79 MB the single
    /// package carrying every platform's native libraries weighed.
    /// </summary>
    private const long MaxToolPackageBytes = 79L * 1024 * 1024 / 5;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "backprop-pack-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _log;

    public PackagingTests(ITestOutputHelper log)
    {
        _log = log;
        Directory.CreateDirectory(_root);
    }


    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Packages_install_and_work_from_a_local_feed()
    {
        string repo = RepositoryRoot();
        string version = XDocument.Load(Path.Combine(repo, "Directory.Build.props")).Descendants("Version").Single().Value;
        string feed = Path.Combine(_root, "feed");

        // Package sources for everything below: the folder feed, then the user's package cache read
        // as a folder feed (it has that layout), so that a machine that has restored this repository
        // packs, installs and builds offline; nuget.org only when the cache lacks a package the
        // sources reference. The packing below runs in a folder under this file, so it uses it too.
        string config = Path.Combine(_root, "nuget.config");
        Directory.CreateDirectory(feed);
        File.WriteAllText(config, NugetConfig(feed, UserPackageCache(), NeedsNugetOrg(repo)));

        // Pack from a copy of the sources, so the repository's own bin/ and obj/ are left alone.
        string source = Path.Combine(_root, "src");
        foreach (var file in new[] { "Directory.Build.props", "global.json", ".editorconfig", "README.md", "LICENSE", "THIRD-PARTY-NOTICES.md" })
            CopyFile(Path.Combine(repo, file), Path.Combine(source, file));
        CopyTree(Path.Combine(repo, "src"), Path.Combine(source, "src"));
        foreach (var project in new[] { "src/Backprop/Backprop.csproj", "src/Backprop.MLNet/Backprop.MLNet.csproj" })
            Dotnet(source, "pack", project, "-c", "Release", "-o", feed);
        // The tool is published per platform; packing this one's only keeps the test short (the
        // others differ only in their native files).
        string rid = RuntimeInformation.RuntimeIdentifier;
        Assert.Contains(rid, ToolPlatforms(repo));
        Dotnet(source, "pack", "src/Backprop.Cli/Backprop.Cli.csproj", "-c", "Release", "-o", feed, "-p:ToolPackageRuntimeIdentifiers=" + rid);
        string platformPackage = $"Backprop.Cli.{rid}.{version}.nupkg";
        foreach (var package in new[] { $"Backprop.{version}.nupkg", $"Backprop.{version}.snupkg", $"Backprop.MLNet.{version}.nupkg", $"Backprop.MLNet.{version}.snupkg", $"Backprop.Cli.{version}.nupkg", platformPackage })
            Assert.True(File.Exists(Path.Combine(feed, package)), $"dotnet pack did not write {package}");
        long size = new FileInfo(Path.Combine(feed, platformPackage)).Length;
        _log.WriteLine($"{platformPackage}: {size / (1024.0 * 1024):F1} MB (the package that points to it: {new FileInfo(Path.Combine(feed, $"Backprop.Cli.{version}.nupkg")).Length / 1024.0:F0} KB)");
        Assert.True(size < MaxToolPackageBytes, $"{platformPackage} weighs {size / (1024.0 * 1024):F1} MB");

        // The tool, from the folder feed into a private tool path.
        string tools = Path.Combine(_root, "tools");
        Dotnet(_root, "tool", "install", "Backprop.Cli", "--tool-path", tools, "--configfile", config, "--version", version);
        string backprop = Path.Combine(tools, OperatingSystem.IsWindows() ? "backprop.exe" : "backprop");
        string printed = Run(backprop, _root, "--version");
        Assert.StartsWith(version, printed.Trim());
        string model = Path.Combine(_root, "diabetes.model.json");
        string trained = Run(backprop, _root, "train", Path.Combine(repo, "samples", "diabetes.csv"), "--target", "target",
            "--epochs", "3", "--out", model, "--quiet");
        Assert.Contains("Model written to", trained);
        Assert.True(File.Exists(model));
        Assert.NotEmpty(Directory.GetFiles(_root, "*.png", SearchOption.AllDirectories));

        // A fresh console project that references the library package from the feed.
        string app = Path.Combine(_root, "app");
        Dotnet(_root, "new", "console", "-o", app, "-n", "UsesBackprop");
        File.Copy(config, Path.Combine(app, "nuget.config"));
        Dotnet(app, "add", "package", "Backprop", "--version", version);
        // The program is the README's example, so the README shows code that works.
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeExample(repo));
        string output = Dotnet(app, "run", "-c", "Release");
        double r2 = double.Parse(WordAfter(output, "R2 "), CultureInfo.InvariantCulture);
        double at5 = double.Parse(WordAfter(output, "f(5) = "), CultureInfo.InvariantCulture);
        Assert.InRange(r2, 0.9, 1.0);
        Assert.InRange(at5, 10 * Math.Sin(5) + 3 - 2, 10 * Math.Sin(5) + 3 + 2);
        Assert.True(File.Exists(Path.Combine(app, "sine.model.json")));
        Assert.True(File.Exists(Path.Combine(app, "sine.onnx")));
    }

    // The platforms the tool is published for, from its project file.
    private static string[] ToolPlatforms(string repo) =>
        XDocument.Load(Path.Combine(repo, "src", "Backprop.Cli", "Backprop.Cli.csproj")).Descendants("ToolPackageRuntimeIdentifiers").Single().Value.Split(';');

    private static string NugetConfig(string feed, string cache, bool nugetOrg) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
            <add key="cache" value="{cache}" />
        {(nugetOrg ? "    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />\n" : "")}  </packageSources>
        </configuration>
        """;

    private static string UserPackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    // Whether a package the sources reference (an exact version, "1.2.3" or "[1.2.3]") is missing
    // from the user's cache, so that packing them or building against the library must download it.
    private static bool NeedsNugetOrg(string repo) =>
        Directory.EnumerateFiles(Path.Combine(repo, "src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(project => XDocument.Load(project).Descendants("PackageReference"))
            .Any(r => !Directory.Exists(Path.Combine(UserPackageCache(), ((string)r.Attribute("Include")!).ToLowerInvariant(), ((string)r.Attribute("Version")!).Trim('[', ']'))));

    // The word after the first occurrence of marker in the output.
    private static string WordAfter(string output, string marker)
    {
        int at = output.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is not in the output:\n{output}");
        return output[(at + marker.Length)..].Split(' ', '\n', '\r', ',')[0];
    }

    // The C# block of the README's "Installing the packages" section.
    private static string ReadmeExample(string repo)
    {
        string readme = File.ReadAllText(Path.Combine(repo, "README.md"));
        int section = readme.IndexOf("## Installing the packages", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Installing the packages' section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    private string Dotnet(string folder, params string[] args) =>
        Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet", folder, args);

    // Runs a process with a clean MSBuild environment and a private package folder that reads the
    // user's package cache as a fallback, so the locally packed packages never enter the user's
    // cache (a later run with changed sources would otherwise get the stale copy) and nothing
    // already downloaded is downloaded again.
    private string Run(string program, string folder, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        }
        info.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "packages");
        info.Environment["RestoreAdditionalProjectFallbackFolders"] = UserPackageCache();
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => stdout.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} {string.Join(' ', args)}: still running after 8 minutes");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0,
            $"{Path.GetFileName(program)} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}\n{stderr}");
        return stdout.ToString();
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, dir);
            if (!IsBuildOutput(relative))
                Directory.CreateDirectory(Path.Combine(to, relative));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (!IsBuildOutput(relative))
                CopyFile(file, Path.Combine(to, relative));
        }
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Backprop.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (with Backprop.slnx) is not above " + AppContext.BaseDirectory);
    }
}
