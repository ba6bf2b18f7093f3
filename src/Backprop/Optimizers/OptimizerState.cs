namespace Backprop.Optimizers;

// Copies checkpointed arrays (doubles) back into an optimizer's live state arrays.
internal static class OptimizerState
{
    public static void CopyInto<T>(IReadOnlyDictionary<string, T[]> live, IReadOnlyDictionary<string, double[]> saved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, target) in live)
        {
            if (!saved.TryGetValue(name, out var values) || values.Length != target.Length)
                throw new ArgumentException($"The saved optimizer state lacks '{name}' or it has the wrong length (expected {target.Length}).", nameof(saved));
            for (int i = 0; i < target.Length; i++)
                target[i] = T.CreateTruncating(values[i]);
        }
    }

    public static Dictionary<string, double[]> ToDoubles<T>(IReadOnlyDictionary<string, T[]> live)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        live.ToDictionary(p => p.Key, p => Array.ConvertAll(p.Value, double.CreateTruncating));
}
