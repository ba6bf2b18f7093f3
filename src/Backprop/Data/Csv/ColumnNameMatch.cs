namespace Backprop.Data.Csv;

/// <summary>
/// Finds a column the user named: by its exact name, else by the same name in another case when
/// only one column has it (with a notice), else an error that suggests the nearest names.
/// </summary>
internal static class ColumnNameMatch
{
    // Up to this many columns, an unknown name's error lists them all; beyond, only the nearest.
    private const int ListedColumns = 12;
    private const int Suggestions = 3;

    /// <summary>The index of <paramref name="name"/> among <paramref name="names"/>.</summary>
    /// <param name="names">The file's column names.</param>
    /// <param name="name">The name as the user gave it.</param>
    /// <param name="role">What the column is for, e.g. "target", for the messages.</param>
    /// <param name="file">The file, for the messages.</param>
    /// <param name="notices">Receives a notice when the name matched in another case.</param>
    /// <exception cref="DataFormatException">No column has the name, in any case, or several do in another case.</exception>
    public static int Find(IReadOnlyList<string> names, string name, string role, string? file, ICollection<string> notices)
    {
        for (int j = 0; j < names.Count; j++)
            if (string.Equals(names[j], name, StringComparison.Ordinal))
                return j;
        var sameLetters = Enumerable.Range(0, names.Count).Where(j => string.Equals(names[j], name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (sameLetters.Length == 1)
        {
            notices.Add($"{role} column '{DataFormatException.OneLine(name)}' is not in {file ?? "the data"}; using '{names[sameLetters[0]]}', the only column of that name in another case.");
            return sameLetters[0];
        }
        throw Unknown(file, role, name, names, sameLetters.Select(j => names[j]).ToArray());
    }

    /// <summary>The error for a name no column has: the nearest names (and all of them when there are few).</summary>
    public static DataFormatException Unknown(string? file, string role, string name, IReadOnlyList<string> names) =>
        Unknown(file, role, name, names, []);

    private static DataFormatException Unknown(string? file, string role, string name, IReadOnlyList<string> names, string[] sameLetters)
    {
        string shown = DataFormatException.OneLine(name);
        string[] near = sameLetters.Length > 0 ? sameLetters : Nearest(name, names);
        string problem = $"{role} column '{shown}' not found";
        if (sameLetters.Length > 0)
            problem += $"; several columns have that name in another case, so give it exactly: {Quoted(near)}";
        else if (near.Length > 0)
            problem += $"; did you mean {Quoted(near, " or ")}?";
        if (sameLetters.Length == 0 && names.Count <= ListedColumns)
            problem += near.Length > 0 ? $" (available columns: {string.Join(", ", names)})" : $"; available columns: {string.Join(", ", names)}";
        else if (sameLetters.Length == 0)
            problem += near.Length > 0 ? $" ({names.Count} columns in the file)" : $"; none of the file's {names.Count} columns is a close spelling; check the header";
        return new DataFormatException(problem, file);
    }

    private static string Quoted(IEnumerable<string> names, string separator = ", ") =>
        string.Join(separator, names.Select(n => "'" + DataFormatException.OneLine(n) + "'"));

    /// <summary>The names within a few edits of <paramref name="name"/> (case ignored), nearest first.</summary>
    private static string[] Nearest(string name, IReadOnlyList<string> names)
    {
        int limit = Math.Max(2, name.Length / 3);
        return names.Select(n => (Name: n, Distance: Distance(name.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(p => p.Distance <= limit)
            .OrderBy(p => p.Distance)
            .Take(Suggestions)
            .Select(p => p.Name)
            .ToArray();
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn one string into the other.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
