using CsCheck;

namespace Backprop.Tests.Hostile;

/// <summary>
/// Runs a property over a fixed set of samples: sample i comes from a generator seeded with i, so
/// every run tries the same inputs and a failure seen once is seen again. CsCheck's own Sample
/// draws fresh random seeds on each run (a seed given to it fixes the first iteration only).
/// </summary>
internal static class FixedSeed
{
    public static void SampleFixed<T>(this Gen<T> gen, Action<T> assert, int iter) =>
        Parallel.For(0, iter, i => assert(gen.Generate(new PCG(1, (ulong)i), null, out _)));

    public static void SampleFixed<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> assert, int iter) =>
        gen.SampleFixed(t => assert(t.Item1, t.Item2, t.Item3), iter);
}
