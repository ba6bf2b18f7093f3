using System.Globalization;
using Backprop.Data.Columns;

namespace Backprop.Tables;

/// <summary>What empty fields did to the training data (training and test rows together): rows left out and fields filled.</summary>
public sealed record MissingValues
{
    private const int ColumnsCounted = 6;

    /// <summary>The policy applied.</summary>
    public MissingPolicy Policy { get; init; }

    /// <summary>Rows left out because a target was empty.</summary>
    public long TargetRows { get; init; }

    /// <summary>Rows left out because a feature was empty (<see cref="MissingPolicy.Drop"/>).</summary>
    public long FeatureRows { get; init; }

    /// <summary>Per feature column with any, the empty fields filled, in column order.</summary>
    public IReadOnlyDictionary<string, long> FilledCells { get; init; } = new Dictionary<string, long>();

    /// <summary>Whether any of <see cref="FilledCells"/> is a text column.</summary>
    public bool TextFilled { get; init; }

    /// <summary>Whether there was any missing value at all.</summary>
    public bool Any => TargetRows > 0 || FeatureRows > 0 || FilledCells.Count > 0;

    /// <summary>
    /// One sentence for a person, such as <c>Missing values: 616 targets (rows left out); 4,027 cells
    /// in 4 columns filled with the training median: sales (568), ...</c>; each column with its count
    /// when there are few, the six with the most and the others' names when there are many.
    /// Null when nothing was missing.
    /// </summary>
    public string? Describe()
    {
        if (!Any)
            return null;
        var parts = new List<string>();
        if (TargetRows > 0)
            parts.Add($"{N(TargetRows)} {Plural(TargetRows, "target")} (rows left out)");
        if (FeatureRows > 0)
            parts.Add($"{N(FeatureRows)} more {Plural(FeatureRows, "row")} with empty features left out");
        if (FilledCells.Count > 0)
        {
            long cells = FilledCells.Values.Sum();
            string how = Policy == MissingPolicy.Mean ? "filled with the training mean" : "filled with the training median";
            if (TextFilled)
                how += Policy == MissingPolicy.Mean ? " (text: no category)" : " (text: category (missing))";
            var shown = FilledCells.Count <= ColumnsCounted
                ? FilledCells.ToList()
                : FilledCells.OrderByDescending(kv => kv.Value).Take(ColumnsCounted).ToList();
            string list = string.Join(", ", shown.Select(kv => $"{kv.Key} ({N(kv.Value)})"));
            if (FilledCells.Count > shown.Count)
                list += $"; also {string.Join(", ", FilledCells.Keys.Except(shown.Select(kv => kv.Key)))}";
            parts.Add($"{N(cells)} {Plural(cells, "cell")} in {FilledCells.Count} {Plural(FilledCells.Count, "column")} {how}: {list}");
        }
        return "Missing values: " + string.Join("; ", parts) + ".";
    }

    /// <summary>The counts of the encoded parts of a loaded file, together.</summary>
    internal static MissingValues Of(TableEncoder encoder, params IEnumerable<EncodingSummary?> parts)
    {
        var filled = new Dictionary<string, long>(StringComparer.Ordinal);
        long targetRows = 0, featureRows = 0;
        foreach (var part in parts)
        {
            if (part is null)
                continue;
            targetRows += part.MissingTargetRows;
            featureRows += part.DroppedRows - part.MissingTargetRows;
            foreach (var (column, count) in part.FilledCells)
                filled[column] = filled.GetValueOrDefault(column) + count;
        }
        return Of(encoder, targetRows, featureRows, filled);
    }

    /// <summary>The counts, with the filled columns put in the encoder's column order.</summary>
    internal static MissingValues Of(TableEncoder encoder, long targetRows, long featureRows, IReadOnlyDictionary<string, long> filled)
    {
        var columns = encoder.State.Columns.Where(c => filled.ContainsKey(c.Name)).ToArray();
        return new MissingValues
        {
            Policy = encoder.Missing,
            TargetRows = targetRows,
            FeatureRows = featureRows,
            FilledCells = columns.ToDictionary(c => c.Name, c => filled[c.Name], StringComparer.Ordinal),
            TextFilled = columns.Any(c => c.Kind == Data.Csv.ColumnKind.Text),
        };
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(long n, string word) => n == 1 ? word : word + "s";
}
