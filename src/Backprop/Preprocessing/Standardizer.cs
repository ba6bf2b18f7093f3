namespace Backprop.Preprocessing;

/// <summary>
/// Per-column affine scaling x' = (x - mean) / scale, fitted on training rows and kept with the model
/// so that prediction repeats training's preprocessing exactly.
/// </summary>
/// <remarks>
/// The scale is the population standard deviation (divide by n, as the benchmark workloads define
/// it). A constant column gets scale 1 so that it maps to 0 instead of dividing by zero.
/// </remarks>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>Number of columns this scaler was fitted on.</summary>
    public int Count => Mean.Length;

    /// <summary>Fits means and population standard deviations of a row-major matrix.</summary>
    /// <param name="values">Rows one after another: <c>[rows, columns]</c>.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="sampleWeights">Optional weight per row; weighted mean and deviation when given.</param>
    /// <param name="scaleColumn">Optional mask: columns marked false keep mean 0 and scale 1.</param>
    public static Standardizer Fit(ReadOnlySpan<double> values, int columns, ReadOnlySpan<double> sampleWeights = default, ReadOnlySpan<bool> scaleColumn = default)
    {
        if (columns <= 0)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 1.");
        int rows = values.Length / columns;
        var mean = new double[columns];
        var scale = new double[columns];
        double totalWeight = 0;
        for (int i = 0; i < rows; i++)
        {
            double w = sampleWeights.IsEmpty ? 1.0 : sampleWeights[i];
            totalWeight += w;
            var row = values.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
                mean[j] += w * row[j];
        }
        for (int j = 0; j < columns; j++)
            mean[j] = totalWeight > 0 ? mean[j] / totalWeight : 0;
        for (int i = 0; i < rows; i++)
        {
            double w = sampleWeights.IsEmpty ? 1.0 : sampleWeights[i];
            var row = values.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                double d = row[j] - mean[j];
                scale[j] += w * d * d;
            }
        }
        for (int j = 0; j < columns; j++)
        {
            double sd = totalWeight > 0 ? Math.Sqrt(scale[j] / totalWeight) : 0;
            bool keep = !scaleColumn.IsEmpty && !scaleColumn[j];
            if (keep)
            {
                mean[j] = 0;
                scale[j] = 1;
            }
            else
            {
                scale[j] = sd > 1e-12 * Math.Max(1.0, Math.Abs(mean[j])) ? sd : 1.0;
            }
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>Scales one row in place.</summary>
    public void Transform(Span<double> row)
    {
        for (int j = 0; j < row.Length; j++)
            row[j] = (row[j] - Mean[j]) / Scale[j];
    }

    /// <summary>Maps one scaled row back to original units, in place.</summary>
    public void InverseTransform(Span<double> row)
    {
        for (int j = 0; j < row.Length; j++)
            row[j] = row[j] * Scale[j] + Mean[j];
    }
}
