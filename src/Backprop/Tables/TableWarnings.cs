using Backprop.Data.Columns;

namespace Backprop.Tables;

/// <summary>The wording of the warnings that more than one table operation gives.</summary>
internal static class TableWarnings
{
    public static string Unseen(IReadOnlyDictionary<string, int> unseen, string where) =>
        $"{unseen.Values.Sum()} {where} value(s) had categories not seen in training and were encoded as all zeros: " +
        string.Join(", ", unseen.Select(kv => $"{kv.Key} ({kv.Value})")) + ".";

    public static string Filled(IReadOnlyDictionary<string, int> filled, MissingPolicy policy) =>
        $"{filled.Values.Sum()} empty field(s) were filled as in training ({(policy == MissingPolicy.Mean ? "training mean" : "training median, or category (missing)")}): " +
        string.Join(", ", filled.Select(kv => $"{kv.Key} ({kv.Value})")) + ".";
}
