namespace Backprop.Cli;

/// <summary>
/// Checks on the files a command is about to write, made before any work so that a typo or a
/// read-only folder costs nothing and destroys nothing; and the plain-words error when a write
/// fails later all the same (a full disk).
/// </summary>
internal static class OutputPaths
{
    private static void CheckFolder(string path, string option)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(folder))
            throw new CliException($"{option}: the folder '{Path.GetDirectoryName(path)}' of '{path}' does not exist; create it first.");
    }

    /// <summary>
    /// The file <paramref name="path"/> can be written: it is not a folder, its folder exists and takes a new file, and
    /// an existing file there is not read-only (it would be replaced by a rename, which its mode does not stop).
    /// </summary>
    public static void CheckWritableFile(string path, string option, string example = "")
    {
        if (Directory.Exists(path))
            throw new CliException($"{option}: '{path}' is a folder; give a file name{example}.");
        CheckFolder(path, option);
        if (File.Exists(path) && File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly))
            throw new CliException($"{option}: '{path}' is read-only; make it writable or write to another file.");
        Probe(Path.GetDirectoryName(Path.GetFullPath(path))!, option, path);
    }

    /// <summary>The folder <paramref name="folder"/> takes new files; when it does not exist yet, its parent must (it is created there).</summary>
    public static void CheckWritableFolder(string folder, string option)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(folder);
        if (Directory.Exists(trimmed))
        {
            Probe(Path.GetFullPath(trimmed), option, folder);
            return;
        }
        CheckFolder(trimmed, option);
        Probe(Path.GetDirectoryName(Path.GetFullPath(trimmed))!, option, folder);
    }

    /// <summary>Runs a write of <paramref name="path"/>, turning an operating-system refusal into one plain line naming the path (exit 1).</summary>
    public static void Write(string path, string option, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: could not write '{path}': {Reason(e)}. Nothing was replaced.", ExitCodes.Failure);
        }
    }

    public static bool Same(string a, string b) => Path.GetFullPath(a) == Path.GetFullPath(b);

    /// <summary>Why the operating system refused a write, in words, without the exception's own text (which names temporary files).</summary>
    internal static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException when Errno(e) == 28 || e.HResult == unchecked((int)0x80070070) => "the disk is full",
        IOException when Errno(e) == 122 => "the disk quota is exceeded",
        IOException when Errno(e) == 30 => "the file system is read-only",
        DirectoryNotFoundException => "the folder no longer exists",
        _ => "the system refused the write",
    };

    // Creating and deleting a file is the one test that sees everything that can refuse a write:
    // permission bits, access lists, read-only mounts, and folders that never take files (/proc, /sys).
    private static void Probe(string folder, string option, string shown)
    {
        string probe = Path.Combine(folder, $".backprop-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            stream.WriteByte(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string what = Path.TrimEndingDirectorySeparator(folder) == Path.GetFullPath(Path.TrimEndingDirectorySeparator(shown)) ? "" : $" for '{shown}'";
            throw new CliException($"{option}: cannot write to the folder '{folder}'{what}: {Reason(e)}; choose another folder or make it writable.");
        }
    }

    // On Unix .NET carries the errno in the low bits of an IOException's HResult when it has no better exception type.
    private static int Errno(Exception e) => e.HResult & 0xFFFF;
}
