namespace Backprop.Bench;

/// <summary>
/// Finds the shared data folder: <c>--data DIR</c> when given, else <c>../shared/data</c> beside the
/// repository root, where the root is the first folder holding <c>Backprop.slnx</c> found walking up
/// from the current directory, then from the executable's folder. So the default works from the
/// repository root, from bench/Backprop.Bench, and from the build output.
/// </summary>
internal static class DataDirectory
{
    public static string Resolve(string? given)
    {
        if (given is not null)
        {
            string full = Path.GetFullPath(given);
            return Directory.Exists(full) ? full : throw new DirectoryNotFoundException($"--data {given}: no such folder ({full}).");
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Backprop.slnx")))
                    continue;
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                if (Directory.Exists(candidate))
                    return candidate;
                break;
            }
        }
        throw new DirectoryNotFoundException("Could not find ../shared/data beside the repository root; pass --data DIR.");
    }
}
