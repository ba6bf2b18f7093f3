using System.Diagnostics;

namespace Backprop.Tests.Hostile;

/// <summary>
/// Runs one hostile input and checks the contract every reader promises: it ends in a result or in one
/// of the documented exception types, with a one-line message, within a time bound and without
/// allocating more than a bound proportional to the input's size.
/// </summary>
internal static class Bounded
{
    /// <summary>Wall-clock bound per input.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);

    /// <summary>Allocation allowed per input byte.</summary>
    public const long BytesPerInputByte = 64;

    /// <summary>Allocation allowed whatever the input (buffers, JSON options caches, a small model).</summary>
    public const long FixedBytes = 16L << 20;

    /// <summary>What happened to one input.</summary>
    /// <param name="Error">The documented exception it ended in, or null for a result.</param>
    public sealed record Outcome(Exception? Error);

    /// <summary>Runs <paramref name="action"/> on <paramref name="input"/>; fails the test on any breach.</summary>
    /// <param name="input">The hostile bytes; saved to a temporary folder on failure, for the corpus.</param>
    /// <param name="context">Anything else the action depends on (options), for the failure message.</param>
    /// <param name="action">Reads the input.</param>
    /// <param name="documented">Exception types the reader documents.</param>
    public static Outcome Run(byte[] input, string context, Action action, params Type[] documented)
    {
        long inputBytes = input.Length;
        string describe() => $"{Show(input)} {context} (saved as {Save(input)})";
        Exception? error = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            action();
        }
        catch (Exception e)
        {
            error = e;
        }
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Messages are built only on failure: describing an input saves it to disk.
        if (error is not null && !documented.Contains(error.GetType()))
            Assert.Fail($"undocumented {error.GetType().Name}: {error.Message}\ninput: {describe()}\n{error}");
        if (error is not null && string.IsNullOrWhiteSpace(error.Message))
            Assert.Fail($"empty message for input: {describe()}");
        if (error is not null && (error.Message.Contains('\n') || error.Message.Contains('\r')))
            Assert.Fail($"message is not one line: {error.Message}\ninput: {describe()}");
        if (clock.Elapsed >= MaxTime)
            Assert.Fail($"took {clock.Elapsed.TotalSeconds:F2} s\ninput: {describe()}");
        long limit = BytesPerInputByte * inputBytes + FixedBytes;
        if (allocated > limit)
            Assert.Fail($"allocated {allocated} bytes for {inputBytes} input bytes (limit {limit})\ninput: {describe()}");
        return new Outcome(error);
    }

    private static string Save(byte[] input)
    {
        string folder = Path.Combine(Path.GetTempPath(), "backprop-hostile-failures");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16] + ".bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>Shows bytes in a failure message: as text when printable, otherwise as base64; long inputs cut.</summary>
    public static string Show(byte[] bytes)
    {
        const int max = 600;
        var cut = bytes.Length > max ? bytes[..max] : bytes;
        bool text = cut.All(b => b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t');
        string shown = text ? System.Text.Encoding.ASCII.GetString(cut).Replace("\n", "\\n").Replace("\r", "\\r")
            : "base64:" + Convert.ToBase64String(cut);
        return $"({bytes.Length} bytes) {shown}{(bytes.Length > max ? "..." : "")}";
    }
}
