namespace Backprop.Tables;

/// <summary>The wording of the warnings that more than one table operation gives.</summary>
internal static class TableWarnings
{
    public static string Unseen(IReadOnlyDictionary<string, int> unseen, string where) =>
        $"{unseen.Values.Sum()} {where} value(s) had categories not seen in training and were encoded as all zeros: " +
        string.Join(", ", unseen.Select(kv => $"{kv.Key} ({kv.Value})")) + ".";
}
