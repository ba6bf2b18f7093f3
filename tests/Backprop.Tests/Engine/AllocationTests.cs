using Backprop.Activations;
using Backprop.Losses;
using Backprop.Networks;
using Backprop.Numerics;
using Backprop.Optimizers;

namespace Backprop.Tests.Engine;

// A training step (forward, backward, optimizer) allocates nothing once its buffers exist.
public class AllocationTests
{
    [Theory]
    [InlineData(Activation.Tanh, 1, 1)]
    [InlineData(Activation.Relu, 32, 1)]
    [InlineData(Activation.Gelu, 7, 1)]
    [InlineData(Activation.Relu, 256, 2)] // big enough for the kernels to split work with the partner thread
    public void Hundred_steps_allocate_zero_bytes(Activation activation, int batch, int threads)
    {
        var network = Network<float>.Create(10, [64, 64], activation, 2);
        network.Initialize(new Rng(1));
        var pass = network.CreatePass(batch, threads);
        var optimizer = new Adam<float>(network.Parameters.Length);
        var rng = new Rng(2);
        var x = Enumerable.Range(0, batch * 10).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, batch * 2).Select(_ => (float)rng.NextDouble()).ToArray();
        var loss = LossFunction.SquaredError;

        void Step()
        {
            pass.Forward(x, batch);
            pass.Backward(y, loss);
            optimizer.Step(network.Parameters, pass.Gradients, 1e-3);
        }

        Step(); // first call: JIT and lazily created state
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
