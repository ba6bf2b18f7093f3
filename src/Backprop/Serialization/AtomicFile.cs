using System.Collections.Concurrent;

namespace Backprop.Serialization;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a
/// half-written file: write a temporary file beside it, flush it to disk, rename it over, then
/// flush the folder so that the new name survives a power loss too.
/// </summary>
/// <remarks>
/// A process killed between creating and renaming its temporary file leaves it behind; the next
/// first write of that file in each process removes those whose process is gone.
/// </remarks>
public static class AtomicFile
{
    private static readonly ConcurrentDictionary<string, byte> Swept = new();

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the old file is untouched and the temporary one removed.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{path}: the folder '{folder}' does not exist.");
        string name = Path.GetFileName(full);
        // Once per path and process: a checkpoint written every epoch need not list its folder every epoch.
        if (Swept.TryAdd(full, 0))
            RemoveStaleTemporaries(folder, name);
        string temp = Path.Combine(folder, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        // Best effort: the new content is complete and in place either way; only its name's
        // durability against power loss depends on this.
        FolderFlush.Flush(folder);
    }

    // Temporary files of this name, ".NAME.PID.GUID.tmp", whose writing process no longer runs.
    // One of a live process (this one included) may be mid-write and is left alone.
    private static void RemoveStaleTemporaries(string folder, string name)
    {
        string prefix = "." + name + ".";
        foreach (string path in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
        {
            var parts = Path.GetFileName(path)[prefix.Length..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], out int pid) && Guid.TryParseExact(parts[1], "N", out _) && !IsRunning(pid))
                TryDelete(path);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary name is unique and hidden, and the real file is intact.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
