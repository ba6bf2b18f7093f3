namespace Backprop.Tables.Intervals;

/// <summary>The one rule for an interval's coverage level, so the library and the command line refuse the same values with the same words.</summary>
internal static class IntervalCoverage
{
    /// <summary>Refuses a coverage outside (0, 1), naming <paramref name="option"/> (<c>coverage</c>, <c>--interval</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is not strictly between 0 and 1, or is NaN.</exception>
    public static void Check(double coverage, string option)
    {
        if (!(coverage > 0 && coverage < 1))
            throw new ArgumentOutOfRangeException(option, coverage, $"{option} must be a coverage strictly between 0 and 1, such as 0.9 for a 90% interval; got {coverage.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
