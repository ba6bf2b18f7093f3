using Backprop.Kernels;

namespace Backprop.Inference;

/// <summary>
/// The buffers one thread's predictions go through: the scaled inputs and two layer buffers that
/// the layers write in turn. One set per thread, grown on first use and then reused, so a call
/// allocates nothing and concurrent callers never share one.
/// </summary>
internal sealed class InferenceScratch<T> where T : unmanaged
{
    [ThreadStatic]
    private static InferenceScratch<T>? t_current;

    private InferenceScratch(int length)
    {
        Input = CacheAligned.Allocate<T>(length);
        Even = CacheAligned.Allocate<T>(length);
        Odd = CacheAligned.Allocate<T>(length);
    }

    /// <summary>The inputs, scaled and in the network's precision.</summary>
    public Memory<T> Input { get; }

    /// <summary>The output of layers 0, 2, 4, ...</summary>
    public Memory<T> Even { get; }

    /// <summary>The output of layers 1, 3, 5, ...</summary>
    public Memory<T> Odd { get; }

    /// <summary>This thread's buffers, each at least <paramref name="length"/> long.</summary>
    public static InferenceScratch<T> Get(int length)
    {
        var current = t_current;
        if (current is null || current.Input.Length < length)
            t_current = current = new InferenceScratch<T>(Math.Max(length, current?.Input.Length ?? 0));
        return current;
    }
}
