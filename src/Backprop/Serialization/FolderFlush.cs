namespace Backprop.Serialization;

/// <summary>
/// Flushes a folder's entries to disk (fsync on the folder), so that a file renamed into it keeps
/// its new name after a power loss: flushing the file itself saves its bytes, not the name.
/// </summary>
internal static partial class FolderFlush
{
    private const int ReadOnly = 0; // O_RDONLY, the same on every Unix

    /// <summary>Flushes <paramref name="folder"/>; false when the system or file system cannot (the rename is then as durable as it can be made).</summary>
    public static bool Flush(string folder)
    {
        // Windows opens no folder for flushing; NTFS journals the rename's metadata itself.
        if (OperatingSystem.IsWindows())
            return Directory.Exists(folder);
        int descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
            return false;
        try
        {
            return Fsync(descriptor) == 0;
        }
        finally
        {
            Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
