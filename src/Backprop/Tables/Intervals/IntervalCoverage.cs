namespace Backprop.Tables.Intervals;

/// <summary>The one rule for an interval's coverage level, so the library and the command line refuse the same values with the same words.</summary>
/// <remarks>
/// Below 0.5 a CV+ lower bound may exceed its upper bound (each is an order statistic of its own
/// list, and the ranks cross), so such levels are refused rather than answered with a crossed interval.
/// </remarks>
internal static class IntervalCoverage
{
    /// <summary>Refuses a coverage outside [0.5, 1), naming <paramref name="option"/> (<c>coverage</c>, <c>--interval</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is below 0.5, 1 or more, or NaN.</exception>
    public static void Check(double coverage, string option)
    {
        if (!(coverage >= 0.5 && coverage < 1))
            throw new ArgumentOutOfRangeException(option, coverage, $"{option} must be a coverage from 0.5 up to but not including 1, such as 0.9 for a 90% interval; got {coverage.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
