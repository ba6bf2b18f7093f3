namespace Backprop.Kernels;

/// <summary>
/// Buffers whose first element starts a cache line. A 64-byte vector load that straddles two lines
/// costs two; a packed panel read from a misaligned start makes every one of the micro-kernel's
/// AVX-512 loads such a split, which costs a large product about a tenth of its speed.
/// </summary>
internal static class CacheAligned
{
    /// <summary>Bytes in a cache line.</summary>
    public const int LineBytes = 64;

    /// <summary>
    /// <paramref name="length"/> zeroed elements starting on a 64-byte boundary. The array lives on the
    /// pinned heap, so the garbage collector never moves it off the boundary.
    /// </summary>
    public static unsafe Memory<T> Allocate<T>(int length)
        where T : unmanaged
    {
        int slack = LineBytes / sizeof(T);
        var array = GC.AllocateArray<T>(length + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int offset = (int)((LineBytes - address % LineBytes) % LineBytes) / sizeof(T);
        return array.AsMemory(offset, length);
    }
}
