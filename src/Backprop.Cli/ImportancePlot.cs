using Backprop.Serialization;
using ScottPlot;

namespace Backprop.Cli;

/// <summary>The permutation importance of the columns as a PNG: one horizontal bar per column, most important on top, with its spread.</summary>
internal static class ImportancePlot
{
    public const string FileName = "importance.png";

    /// <summary>Columns drawn at most; the title says how many there are in all.</summary>
    public const int MaxColumns = 20;

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/> (which must exist) and returns its path.</summary>
    public static string Write(string folder, ImportanceDocument importance)
    {
        ArgumentNullException.ThrowIfNull(importance);
        EmbeddedFont.Register();
        string path = Path.Combine(folder, FileName);
        Plots.Save(Draw(importance), path);
        return path;
    }

    // The R^2 drop rather than the MSE rise: it reads the same whatever the target's units. The
    // bars are ordered by what they show; folds of different variance can order the two measures
    // differently.
    private static Plot Draw(ImportanceDocument importance)
    {
        var plot = Plots.NewPlot();
        var shown = importance.Columns.OrderByDescending(c => c.R2Drop).Take(MaxColumns).ToArray();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var bars = new List<Bar>();
        for (int i = 0; i < shown.Length; i++)
        {
            double position = shown.Length - 1 - i; // the first (most important) on top
            bars.Add(new Bar { Position = position, Value = shown[i].R2Drop, Error = shown[i].R2DropSd, FillColor = Colors.SteelBlue });
            ticks.AddMajor(position, shown[i].Column);
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Add.VerticalLine(0, 1, Colors.Black);
        string count = importance.Columns.Count > shown.Length ? $"top {shown.Length} of {importance.Columns.Count} columns" : $"{shown.Length} columns";
        plot.Title($"Permutation importance ({count})");
        plot.XLabel($"drop in R² when the column is shuffled (out-of-fold rows; bars: ±1 sd over {importance.Folds} folds × {importance.Repeats} repeats)");
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Margins(left: 0.02, right: 0.08, bottom: 0.03, top: 0.03);
        return plot;
    }
}
