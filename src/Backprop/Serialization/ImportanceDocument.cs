namespace Backprop.Serialization;

/// <summary>
/// The permutation importance of each original column, measured on out-of-fold rows when the
/// model was trained, kept in the model file to be shown (it is never used to predict). Optional.
/// </summary>
/// <param name="Folds">Folds whose held-out rows were permuted.</param>
/// <param name="Repeats">Permutations per column and fold.</param>
/// <param name="Seed">The seed the permutations came from.</param>
/// <param name="Columns">One entry per feature column, most important first.</param>
public sealed record ImportanceDocument(int Folds, int Repeats, ulong Seed, IReadOnlyList<ColumnImportanceDocument> Columns)
{
    /// <summary>More columns than this are refused as a damaged or hostile file (a table has far fewer).</summary>
    public const int MaxColumns = 1_000_000;

    internal string? Problem()
    {
        if (Folds < 1 || Repeats < 1)
            return $"'importance' has {Folds} folds and {Repeats} repeats; both must be at least 1.";
        if (Columns is null || Columns.Count > MaxColumns)
            return $"'importance.columns' must be a list of at most {MaxColumns} columns.";
        for (int c = 0; c < Columns.Count; c++)
        {
            var column = Columns[c];
            if (column?.Column is null)
                return $"'importance.columns' entry {c + 1} has no column name.";
            if (!double.IsFinite(column.MseRise) || !double.IsFinite(column.R2Drop)
                || !(column.MseRiseSd >= 0 && double.IsFinite(column.MseRiseSd)) || !(column.R2DropSd >= 0 && double.IsFinite(column.R2DropSd)))
                return $"the importance of '{column.Column}' holds a NaN, infinite or negative spread.";
        }
        return null;
    }
}

/// <summary>How much worse the out-of-fold predictions got when one column's values were shuffled among the rows.</summary>
/// <param name="Column">The column's name in the training file.</param>
/// <param name="MseRise">Mean rise in mean squared error, in squared target units, over folds x repeats.</param>
/// <param name="MseRiseSd">Its standard deviation over folds x repeats.</param>
/// <param name="R2Drop">Mean drop in R^2 over folds x repeats.</param>
/// <param name="R2DropSd">Its standard deviation over folds x repeats.</param>
public sealed record ColumnImportanceDocument(string Column, double MseRise, double MseRiseSd, double R2Drop, double R2DropSd);
