namespace Backprop.Cli;

/// <summary>Checks on the files a command is about to write, made before any work so that a typo costs nothing.</summary>
internal static class OutputPaths
{
    public static void CheckFolder(string path, string option)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(folder))
            throw new CliException($"{option}: the folder '{Path.GetDirectoryName(path)}' of '{path}' does not exist; create it first.");
    }

    public static bool Same(string a, string b) => Path.GetFullPath(a) == Path.GetFullPath(b);
}
