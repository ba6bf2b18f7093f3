using Backprop.Activations;
using Backprop.Kernels;
using Backprop.Networks;
using Backprop.Numerics;

namespace Backprop.Tests.Engine;

// The products' buffers must start on a cache line and stay there when the collector compacts.
public unsafe class CacheAlignedTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void Buffers_start_on_a_cache_line_are_zeroed_and_survive_compaction(int length)
    {
        var floats = CacheAligned.Allocate<float>(length);
        var doubles = CacheAligned.Allocate<double>(length);
        // Garbage around them, then a compacting collection: a movable array would shift.
        for (int i = 0; i < 1000; i++)
            _ = new byte[i % 97 + 1];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(length, floats.Length);
        Assert.Equal(length, doubles.Length);
        Assert.Equal(0, Address(floats.Span) % 64);
        Assert.Equal(0, Address(doubles.Span) % 64);
        Assert.All(floats.ToArray(), value => Assert.Equal(0f, value));
        Assert.All(doubles.ToArray(), value => Assert.Equal(0.0, value));
    }

    [Fact]
    public void A_pass_keeps_its_layer_buffers_on_cache_lines()
    {
        var network = Network<float>.Create(3, [5, 7], Activation.Tanh, 2);
        network.Initialize(new Rng(1));
        var pass = network.CreatePass(9);
        var inputs = new float[9 * 3];
        pass.Forward(inputs, 9);
        for (int layer = 0; layer < network.Layers.Count; layer++)
            Assert.Equal(0, Address(pass.Activations(layer)) % 64);
    }

    private static long Address<T>(ReadOnlySpan<T> span) where T : unmanaged
    {
        fixed (T* first = span)
            return (long)first;
    }
}
