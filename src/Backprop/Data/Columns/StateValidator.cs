using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>Checks a <see cref="TableEncoderState"/> read from outside before anything relies on it.</summary>
internal static class StateValidator
{
    public static void Validate(TableEncoderState state)
    {
        if (state.Columns is null || state.Columns.Count == 0)
            throw Bad("it has no feature columns");
        if (state.Targets is null || state.Targets.Count == 0)
            throw Bad("it has no target columns");
        if (state.Ignore is null)
            throw Bad("the ignore list is null; use an empty list");
        if (!Enum.IsDefined(state.Missing))
            throw Bad($"missing policy {(int)state.Missing} is not Error, Drop, Mean or Impute");

        if (state.DecimalSeparator is char d && d is not ('.' or ','))
            throw Bad($"decimal separator '{d}' is not '.' or ','");
        if (state.MissingTokens is { } tokens && tokens.Any(string.IsNullOrEmpty))
            throw Bad("a missing-value token is null or empty");

        var names = new HashSet<string>(StringComparer.Ordinal);
        void AddName(string? name, string what)
        {
            if (string.IsNullOrEmpty(name))
                throw Bad($"a {what} name is null or empty");
            if (!names.Add(name))
                throw Bad($"column name '{name}' appears more than once among features, targets and ignored columns");
        }

        for (int f = 0; f < state.Columns.Count; f++)
        {
            var c = state.Columns[f] ?? throw Bad($"feature column {f} is null");
            AddName(c.Name, "feature column");
            string where = $"feature column {f} ('{c.Name}')";
            if (c.MissingIndicator && state.Missing != MissingPolicy.Impute)
                throw Bad($"{where} has a missing-value input, which only the Impute policy gives");
            if (c.Fill is double fill && (c.Kind != ColumnKind.Numeric || !double.IsFinite(fill)))
                throw Bad($"{where} has a fill value but is not numeric, or the value is not finite");
            switch (c.Kind)
            {
                case ColumnKind.Numeric or ColumnKind.Date:
                    if (c.Mean is not double mean || !double.IsFinite(mean))
                        throw Bad($"{where} is numeric but its mean is missing or not finite");
                    if (c.Scale is not double scale || !double.IsFinite(scale) || scale <= 0)
                        throw Bad($"{where} is numeric but its scale is missing, not finite or not above 0");
                    if (c.Categories is { Count: > 0 })
                        throw Bad($"{where} is numeric but has categories");
                    break;
                case ColumnKind.Text:
                    if (c.Mean is not null || c.Scale is not null)
                        throw Bad($"{where} is text but has a mean or scale");
                    if (c.Categories is null || c.Categories.Count == 0)
                        throw Bad($"{where} is text but has no categories");
                    for (int k = 0; k < c.Categories.Count; k++)
                    {
                        if (string.IsNullOrEmpty(c.Categories[k]))
                            throw Bad($"{where} has a null or empty category");
                        if (k > 0)
                        {
                            int order = string.CompareOrdinal(c.Categories[k - 1], c.Categories[k]);
                            if (order == 0)
                                throw Bad($"{where} has the category '{c.Categories[k]}' twice");
                            if (order > 0)
                                throw Bad($"{where} has categories out of ordinal order at '{c.Categories[k]}'");
                        }
                    }
                    break;
                default:
                    throw Bad($"{where} has unknown kind {(int)c.Kind}");
            }
        }
        foreach (var t in state.Targets)
            AddName(t, "target");
        foreach (var i in state.Ignore)
            AddName(i, "ignored column");
    }

    private static InvalidDataException Bad(string what) => new($"Invalid encoder state: {what}.");
}
