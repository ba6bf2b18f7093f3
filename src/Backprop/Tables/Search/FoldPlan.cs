using Backprop.Numerics;

namespace Backprop.Tables.Search;

/// <summary>
/// The K-fold split of the training rows: shuffled once by the seed, then dealt round-robin, so
/// fold sizes differ by at most one row. Each fold's rows are in file order.
/// </summary>
internal sealed class FoldPlan
{
    private const ulong FoldStream = 0x464F_4C44_5350_4C54UL;

    private readonly int[][] _heldOut;
    private readonly int[][] _train;

    public FoldPlan(int rows, int folds, ulong seed)
    {
        if (folds < 2 || rows < folds)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"K-fold needs 2 to {rows} folds for {rows} rows.");
        var order = Enumerable.Range(0, rows).ToArray();
        new Rng(seed ^ FoldStream).Shuffle(order);
        var fold = new int[rows];
        for (int p = 0; p < rows; p++)
            fold[order[p]] = p % folds;
        _heldOut = Enumerable.Range(0, folds).Select(k => Enumerable.Range(0, rows).Where(i => fold[i] == k).ToArray()).ToArray();
        _train = Enumerable.Range(0, folds).Select(k => Enumerable.Range(0, rows).Where(i => fold[i] != k).ToArray()).ToArray();
    }

    public int Count => _heldOut.Length;

    /// <summary>The rows fold <paramref name="k"/> holds out (its network's early-stopping and scoring rows).</summary>
    public int[] HeldOut(int k) => _heldOut[k];

    /// <summary>The rows fold <paramref name="k"/>'s network trains on: every other fold's.</summary>
    public int[] Train(int k) => _train[k];

    /// <summary>
    /// K for <paramref name="rows"/> training rows: 5, the usual choice, as long as each held-out
    /// fold keeps at least 10 rows to stop early on; fewer folds below 50 rows, and none (null: no
    /// cross-validation) below 4.
    /// </summary>
    public static int? FoldsFor(int rows) => rows < 4 ? null : Math.Clamp(rows / 10, 2, 5);
}
