using Backprop.Regression;
using Backprop.Serialization;
using Backprop.Training;
using ScottPlot;
using SkiaSharp;

namespace Backprop.Cli;

/// <summary>The training plots, as PNG files: loss curves, predicted vs actual, residual histogram.</summary>
internal static class Plots
{
    public const int Width = 900;
    public const int Height = 600;

    /// <summary>Writes the plots into <paramref name="folder"/> (created if missing); returns the files written.</summary>
    /// <param name="folder">Where the files go.</param>
    /// <param name="history">The epochs of the (first) network, for the loss curves.</param>
    /// <param name="networks">How many networks the model averages: the loss plot says it shows the first.</param>
    /// <param name="predicted">The model's predictions for <paramref name="rows"/>, [rows, targets] in the targets' units.</param>
    /// <param name="targets">The target names.</param>
    /// <param name="rowsName">What the rows are ("test", "out-of-fold").</param>
    /// <param name="rows">The rows, targets in their units.</param>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<EpochRecord> history, int networks, double[] predicted, IReadOnlyList<string> targets, string rowsName, DataSet rows)
    {
        EmbeddedFont.Register();
        Directory.CreateDirectory(folder);
        var files = new List<string>();

        string loss = Path.Combine(folder, "loss.png");
        Save(LossCurves(history, networks), loss);
        files.Add(loss);

        for (int k = 0; k < targets.Count; k++)
        {
            string suffix = targets.Count == 1 ? "" : "-" + Safe(targets[k]);
            var y = new double[rows.Rows];
            var p = new double[rows.Rows];
            for (int i = 0; i < rows.Rows; i++)
            {
                y[i] = rows.Targets[i * targets.Count + k];
                p[i] = predicted[i * targets.Count + k];
            }
            string scatter = Path.Combine(folder, $"predicted-vs-actual{suffix}.png");
            Save(PredictedVsActual(targets[k], rowsName, y, p), scatter);
            files.Add(scatter);
            string residuals = Path.Combine(folder, $"residuals{suffix}.png");
            Save(Residuals(targets[k], rowsName, y, p), residuals);
            files.Add(residuals);
        }
        return files;
    }

    // Rendered in memory, then written whole beside the target and renamed over it: a plot from an
    // earlier run is never left half-overwritten.
    internal static void Save(Plot plot, string path)
    {
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    private static Plot LossCurves(IReadOnlyList<EpochRecord> history, int networks)
    {
        var plot = NewPlot();
        var epochs = history.Select(r => (double)r.Epoch).ToArray();
        var train = history.Select(r => Log(r.TrainLoss)).ToArray();
        var line = plot.Add.ScatterLine(epochs, train);
        line.LegendText = "train";
        line.LineWidth = 2;
        if (history.Any(r => r.ValidationLoss is not null))
        {
            var withValidation = history.Where(r => r.ValidationLoss is not null).ToArray();
            var v = plot.Add.ScatterLine(withValidation.Select(r => (double)r.Epoch).ToArray(), withValidation.Select(r => Log(r.ValidationLoss!.Value)).ToArray());
            // A fold network stops early on its own held-out fold, not on a validation share.
            v.LegendText = networks > 1 ? "held-out fold" : "validation";
            v.LineWidth = 2;
        }
        plot.Title(networks > 1 ? $"Loss per epoch (log scale), fold network 1 of {networks}" : "Loss per epoch (log scale)");
        plot.XLabel("epoch");
        plot.YLabel("loss (standardized target units)");
        // Epochs are whole and start at 1: a short run must not be labelled 1.2, 1.4, ..., nor the
        // margin left of the first epoch -2.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (epochs.Length > 0)
        {
            double margin = Math.Max(0.5, 0.03 * (epochs[^1] - epochs[0]));
            plot.Axes.SetLimitsX(Math.Max(0.5, epochs[0] - margin), epochs[^1] + margin);
        }
        plot.Axes.Left.TickGenerator = LogTicks(plot.GetPlottables<ScottPlot.Plottables.Scatter>().SelectMany(p => p.Data.GetScatterPoints().Select(c => c.Y)));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot PredictedVsActual(string target, string rowsName, double[] actual, double[] predicted)
    {
        var plot = NewPlot();
        var points = plot.Add.ScatterPoints(actual, predicted);
        points.LegendText = $"{rowsName} rows ({actual.Length})";
        points.MarkerSize = 6;
        double lo = Math.Min(actual.Min(), predicted.Min()), hi = Math.Max(actual.Max(), predicted.Max());
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LegendText = "y = x (perfect prediction)";
        diagonal.LineWidth = 2;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        plot.Title($"Predicted vs actual {target} ({rowsName} rows)");
        plot.XLabel($"actual {target}");
        plot.YLabel($"predicted {target}");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot Residuals(string target, string rowsName, double[] actual, double[] predicted)
    {
        var plot = NewPlot();
        var residuals = actual.Select((y, i) => predicted[i] - y).ToArray();
        int bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(residuals.Length)), 5, 50);
        double lo = residuals.Min(), hi = residuals.Max();
        if (hi <= lo)
            hi = lo + 1;
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, lo, hi);
        histogram.AddRange(residuals);
        plot.Add.Histogram(histogram);
        var zero = plot.Add.VerticalLine(0, 2, Colors.Black, LinePattern.Dashed);
        zero.LegendText = "zero error";
        plot.Axes.Margins(bottom: 0);
        // The largest residual opens a bin of its own past hi, which the automatic limits cut off.
        double width = (hi - lo) / bins;
        plot.Axes.SetLimitsX(lo - width / 2, hi + 1.5 * width);
        plot.Title($"Residuals, predicted - actual {target} ({rowsName} rows)");
        plot.XLabel($"residual ({target} units)");
        plot.YLabel("rows");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    internal static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(EmbeddedFont.Name);
        plot.Axes.Title.Label.FontSize = 20;
        plot.Axes.Bottom.Label.FontSize = 16;
        plot.Axes.Left.Label.FontSize = 16;
        plot.Legend.FontSize = 14;
        return plot;
    }

    // Ticks at 1, 2, 5 x 10^k (every digit when the curves span less than a decade), labelled in loss units.
    private static ScottPlot.TickGenerators.NumericManual LogTicks(IEnumerable<double> logValues)
    {
        var values = logValues.Where(double.IsFinite).ToArray();
        double lo = values.Length > 0 ? values.Min() : 0, hi = values.Length > 0 ? values.Max() : 1;
        // Curves that span under half a decade (most early-stopped runs) get half steps too, so the
        // axis carries more than two labels.
        double[] mantissas = hi - lo < 0.5 ? [1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 9] : hi - lo < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2, 5];
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int k = (int)Math.Floor(lo) - 1; k <= (int)Math.Ceiling(hi); k++)
        {
            foreach (double m in mantissas)
            {
                double position = Math.Log10(m) + k;
                if (position >= lo - 0.05 && position <= hi + 0.05)
                    ticks.AddMajor(position, (m * Math.Pow(10, k)).ToString("G3", System.Globalization.CultureInfo.InvariantCulture));
                else if (position > lo - 1 && position < hi + 1)
                    ticks.AddMinor(position);
            }
        }
        return ticks;
    }

    private static double Log(double loss) => Math.Log10(Math.Max(loss, 1e-300));

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}

/// <summary>
/// DejaVu Sans, shipped inside the assembly, so that text renders on machines with no fonts installed
/// (SkiaSharp's no-dependencies Linux build cannot ask fontconfig for one).
/// </summary>
internal sealed class EmbeddedFont : IFontResolver
{
    public const string Name = "Backprop Sans";
    private static readonly Lock Gate = new();
    private static bool s_registered;
    private readonly SKTypeface _regular = Load("DejaVuSans.ttf");
    private readonly SKTypeface _bold = Load("DejaVuSans-Bold.ttf");

    public static void Register()
    {
        lock (Gate)
        {
            if (s_registered)
                return;
            Fonts.FontResolvers.Insert(0, new EmbeddedFont());
            Fonts.Default = Name;
            s_registered = true;
        }
    }

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, false);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == Name ? (bold ? _bold : _regular) : null;

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("Backprop.Cli.Fonts." + file)
            ?? throw new InvalidOperationException($"The embedded font {file} is missing from the build.");
        return SKTypeface.FromStream(stream);
    }
}
