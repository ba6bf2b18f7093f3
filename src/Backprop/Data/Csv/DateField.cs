using System.Globalization;

namespace Backprop.Data.Csv;

/// <summary>
/// A date or date-time written in ISO 8601 (<c>2024-03-05</c>, <c>2024-03-05T14:30:00</c>,
/// <c>2024-03-05 14:30</c>, with or without seconds, fractions and a zone such as <c>Z</c> or
/// <c>+01:00</c>), and the numbers a date column becomes: the day count and the month and weekday
/// as points on a circle.
/// </summary>
/// <remarks>
/// A time with a zone is converted to UTC; one without is taken as written. The day count is days
/// since 1970-01-01 with the time of day as a fraction, so it orders and spaces the values as time
/// does (trend). Month and weekday are seasonal: as numbers 1..12 December and January would be
/// far apart, so each is the sine and cosine of its angle on the circle (12 months, 7 days).
/// </remarks>
internal static class DateField
{
    /// <summary>Inputs a date column becomes: the day count, then month and weekday as sine and cosine.</summary>
    public const int Width = 5;

    /// <summary>The names of those inputs after the column's name.</summary>
    public static readonly string[] Parts = ["days", "month_sin", "month_cos", "weekday_sin", "weekday_cos"];

    private static readonly string[] Formats = BuildFormats();

    public static bool TryRead(ReadOnlySpan<char> field, out DateTime value) =>
        DateTime.TryParseExact(field.Trim(' '), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>Days since 1970-01-01, with the time of day as a fraction.</summary>
    public static double Days(DateTime value) => (value - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerDay;

    /// <summary>Writes the month's and weekday's sine and cosine (4 values).</summary>
    public static void Cycles(DateTime value, Span<double> output)
    {
        double month = 2 * Math.PI * (value.Month - 1) / 12, weekday = 2 * Math.PI * (int)value.DayOfWeek / 7;
        output[0] = Math.Sin(month);
        output[1] = Math.Cos(month);
        output[2] = Math.Sin(weekday);
        output[3] = Math.Cos(weekday);
    }

    private static string[] BuildFormats()
    {
        string[] times = ["", "THH:mm", "THH:mm:ss", "THH:mm:ss.FFFFFFF", " HH:mm", " HH:mm:ss", " HH:mm:ss.FFFFFFF"];
        return [.. times.Select(t => "yyyy-MM-dd" + t), .. times.Skip(1).Select(t => "yyyy-MM-dd" + t + "K"), .. times.Skip(1).Select(t => "yyyy-MM-dd" + t + " K")];
    }
}
