using Backprop.Numerics;

namespace Backprop.Data.Columns;

/// <summary>
/// The median of a column's values seen one at a time, in bounded memory: exact up to
/// <see cref="Capacity"/> values, beyond that the median of a uniform random sample of that many
/// (reservoir sampling, fixed seed, so the same file always gives the same value).
/// </summary>
internal sealed class MedianSample
{
    /// <summary>
    /// Values kept per column (128 KiB): the median of a sample this large is typically (one standard
    /// error) within 0.4 percentiles of the true one.
    /// </summary>
    public const int Capacity = 16_384;

    private readonly List<double> _values = [];
    private readonly Rng _rng = new(0x4D45_4449_414EUL);
    private long _seen;

    public void Add(double x)
    {
        _seen++;
        if (_values.Count < Capacity)
        {
            _values.Add(x);
            return;
        }
        long k = (long)(_rng.NextDouble() * _seen);
        if (k < Capacity)
            _values[(int)k] = x;
    }

    public double Median() => Of(_values.ToArray());

    /// <summary>The median of <paramref name="values"/> (reordered in place): the middle value, or the mean of the two middle ones.</summary>
    public static double Of(double[] values)
    {
        if (values.Length == 0)
            throw new ArgumentException("No values.", nameof(values));
        Array.Sort(values);
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : values[mid - 1] / 2 + values[mid] / 2;
    }
}
