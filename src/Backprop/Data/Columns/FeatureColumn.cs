using Backprop.Data.Csv;

namespace Backprop.Data.Columns;

/// <summary>A fitted feature column with its place in the encoded row and a span-keyed category lookup.</summary>
internal sealed class FeatureColumn
{
    public FeatureColumn(FeatureColumnState state, int offset, int numericIndex)
    {
        State = state;
        Offset = offset;
        NumericIndex = numericIndex;
        if (state.Kind == ColumnKind.Text)
        {
            var categories = state.Categories!;
            var map = new Dictionary<string, int>(categories.Count, StringComparer.Ordinal);
            for (int k = 0; k < categories.Count; k++)
                map.Add(categories[k], k);
            Lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
            Width = categories.Count;
        }
        else
        {
            Width = state.Kind == ColumnKind.Date ? DateField.Width : 1;
            Fill = state.Fill ?? state.Mean!.Value;
        }
        if (state.MissingIndicator)
            Width++;
    }

    public FeatureColumnState State { get; }

    public string Name => State.Name;

    public bool IsText => State.Kind == ColumnKind.Text;

    /// <summary>A date column: the day count (scaled like a number) followed by the month and weekday cycles.</summary>
    public bool IsDate => State.Kind == ColumnKind.Date;

    /// <summary>First output index of this column in an encoded feature row.</summary>
    public int Offset { get; }

    /// <summary>Outputs: 1 for numeric, the number of categories for text, <see cref="DateField.Width"/> for a date, plus the missing indicator if any (the last output).</summary>
    public int Width { get; }

    /// <summary>What a missing numeric value is read as (numeric only).</summary>
    public double Fill { get; }

    /// <summary>Whether the column has a 0/1 "was missing" input, at <see cref="Offset"/> + <see cref="Width"/> - 1.</summary>
    public bool HasIndicator => State.MissingIndicator;

    /// <summary>Index into the encoder's <see cref="Preprocessing.Standardizer"/>; -1 for text.</summary>
    public int NumericIndex { get; }

    /// <summary>Category -> one-hot position, looked up by span so encoding a row allocates nothing.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
}
