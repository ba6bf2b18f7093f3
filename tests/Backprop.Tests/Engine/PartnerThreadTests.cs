using Backprop.Kernels;

namespace Backprop.Tests.Engine;

// The partner thread runs the second half of split kernels; a failing half must surface as an
// exception, not kill the process or wedge the partner for later jobs.
public unsafe class PartnerThreadTests
{
    [Fact]
    public void Both_halves_run_once()
    {
        int* counts = stackalloc int[2];
        for (int k = 1; k <= 50; k++)
        {
            PartnerThread.Run(&Count, counts);
            Assert.Equal(k, counts[0]);
            Assert.Equal(k, counts[1]);
        }
    }

    [Fact]
    public void A_failing_half_surfaces_and_the_partner_keeps_working()
    {
        int* counts = stackalloc int[2];
        var second = Assert.ThrowsAny<Exception>(() => PartnerThread.Run(&FailSecondHalf, counts));
        Assert.Contains("second half", second.InnerException?.Message ?? second.Message);
        var first = Assert.ThrowsAny<Exception>(() => PartnerThread.Run(&FailFirstHalf, counts));
        Assert.Contains("first half", first.InnerException?.Message ?? first.Message);
        counts[0] = counts[1] = 0;
        PartnerThread.Run(&Count, counts);
        Assert.Equal(1, counts[0]);
        Assert.Equal(1, counts[1]);
    }

    private static void Count(void* state, int half) => ((int*)state)[half]++;

    private static void FailSecondHalf(void* state, int half)
    {
        if (half == 1)
            throw new InvalidOperationException("second half failed");
    }

    private static void FailFirstHalf(void* state, int half)
    {
        if (half == 0)
            throw new InvalidOperationException("first half failed");
    }
}
