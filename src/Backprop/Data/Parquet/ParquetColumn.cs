using System.Globalization;
using Backprop.Data.Csv;
using Parquet;
using Parquet.Schema;

namespace Backprop.Data.Parquet;

/// <summary>
/// One column of one row group, held typed as the schema says and shown as the text field the rest
/// of the data layer reads: numbers in their shortest round-trip invariant form (so a double reads
/// back bit for bit), booleans as <c>true</c>/<c>false</c>, timestamps in ISO 8601, null as an
/// empty field. <see cref="Set"/> reads such text back, which is how predictions are written.
/// </summary>
internal abstract class ParquetColumn(DataField field)
{
    /// <summary>The schema's field.</summary>
    public DataField Field { get; } = field;

    /// <summary>How the column is encoded: numbers, categories (strings, booleans) or dates.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>Reads the first <paramref name="rows"/> values of the row group, replacing the previous group's.</summary>
    public abstract Task ReadAsync(ParquetRowGroupReader group, int rows);

    /// <summary>The value of <paramref name="row"/> as text; empty for null. Valid until the next call for this column.</summary>
    public abstract ReadOnlySpan<char> Text(int row);

    /// <summary>Sets <paramref name="row"/> from text as <see cref="Text"/> gives it; empty is null.</summary>
    /// <exception cref="FormatException">The text is not a value of the column's type.</exception>
    public abstract void Set(int row, ReadOnlySpan<char> text);

    /// <summary>Writes the first <paramref name="rows"/> values as this column of a row group.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, int rows);

    /// <summary>A column for <paramref name="field"/>, or null when its type is not one Backprop reads (binary, intervals, nested).</summary>
    public static ParquetColumn? For(DataField field)
    {
        if (field.IsArray)
            return null;
        var t = field.ClrType;
        return t == typeof(double) ? new Numbers<double>(field, "R")
            : t == typeof(float) ? new Numbers<float>(field, "R")
            : t == typeof(int) ? new Numbers<int>(field)
            : t == typeof(long) ? new Numbers<long>(field)
            : t == typeof(short) ? new Numbers<short>(field)
            : t == typeof(sbyte) ? new Numbers<sbyte>(field)
            : t == typeof(byte) ? new Numbers<byte>(field)
            : t == typeof(ushort) ? new Numbers<ushort>(field)
            : t == typeof(uint) ? new Numbers<uint>(field)
            : t == typeof(ulong) ? new Numbers<ulong>(field)
            : t == typeof(decimal) ? new Numbers<decimal>(field)
            : t == typeof(bool) ? new Booleans(field)
            : t == typeof(DateTime) ? new Timestamps(field)
            : t == typeof(ReadOnlyMemory<char>) || t == typeof(string) ? new Strings(field)
            : null;
    }

    /// <summary>A column of a value type, nullable or not, as an array of nullable values.</summary>
    private abstract class Values<T>(DataField field) : ParquetColumn(field)
        where T : struct
    {
        private T?[] _values = [];

        // Formatted values are short (a double's round-trip form is at most 24 characters).
        protected char[] Scratch { get; } = new char[64];

        public override Task ReadAsync(ParquetRowGroupReader group, int rows)
        {
            Grow(rows);
            return group.ReadAsync<T>(Field, _values.AsMemory(0, rows)).AsTask();
        }

        public override ReadOnlySpan<char> Text(int row) => _values[row] is T value ? Format(value) : [];

        public override void Set(int row, ReadOnlySpan<char> text)
        {
            Grow(row + 1);
            _values[row] = text.IsEmpty ? null : Parse(text);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_values, 0, rows));

        protected abstract ReadOnlySpan<char> Format(T value);

        protected abstract T Parse(ReadOnlySpan<char> text);

        private void Grow(int rows)
        {
            if (_values.Length < rows)
                Array.Resize(ref _values, Math.Max(rows, 2 * _values.Length));
        }
    }

    private sealed class Numbers<T>(DataField field, string? format = null) : Values<T>(field)
        where T : struct, ISpanFormattable, ISpanParsable<T>
    {
        public override ColumnKind Kind => ColumnKind.Numeric;

        protected override ReadOnlySpan<char> Format(T value)
        {
            value.TryFormat(Scratch, out int n, format, CultureInfo.InvariantCulture);
            return Scratch.AsSpan(0, n);
        }

        protected override T Parse(ReadOnlySpan<char> text) => T.Parse(text, CultureInfo.InvariantCulture);
    }

    // Two categories, as a text column of true and false.
    private sealed class Booleans(DataField field) : Values<bool>(field)
    {
        public override ColumnKind Kind => ColumnKind.Text;

        protected override ReadOnlySpan<char> Format(bool value) => value ? "true" : "false";

        protected override bool Parse(ReadOnlySpan<char> text) => bool.Parse(text);
    }

    // Dates and timestamps, read as DateField reads a CSV date: a time with no zone is taken as
    // written. A midnight is written as the date alone, as a CSV file of dates has it.
    private sealed class Timestamps(DataField field) : Values<DateTime>(field)
    {
        private const string Iso = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", IsoDate = "yyyy-MM-dd";

        public override ColumnKind Kind => ColumnKind.Date;

        protected override ReadOnlySpan<char> Format(DateTime value)
        {
            value.TryFormat(Scratch, out int n, value.TimeOfDay == TimeSpan.Zero ? IsoDate : Iso, CultureInfo.InvariantCulture);
            return Scratch.AsSpan(0, n);
        }

        protected override DateTime Parse(ReadOnlySpan<char> text) =>
            DateField.TryRead(text, out var value) ? value : throw new FormatException($"'{text}' is not an ISO 8601 date.");
    }

    private sealed class Strings(DataField field) : ParquetColumn(field)
    {
        private string?[] _values = [];

        public override ColumnKind Kind => ColumnKind.Text;

        public override async Task ReadAsync(ParquetRowGroupReader group, int rows)
        {
            if (_values.Length < rows)
                _values = new string?[rows];
            await group.ReadAsync(Field, _values.AsMemory(0, rows)).ConfigureAwait(false);
        }

        public override ReadOnlySpan<char> Text(int row) => _values[row];

        public override void Set(int row, ReadOnlySpan<char> text)
        {
            if (_values.Length <= row)
                Array.Resize(ref _values, Math.Max(row + 1, 2 * _values.Length));
            _values[row] = text.IsEmpty ? null : text.ToString();
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync(Field, new ArraySegment<string?>(_values, 0, rows));
    }
}
