using Backprop.Kernels;

namespace Backprop.Training;

/// <summary>The rows a run's start and end are compared on, to tell a run that made the model worse (see <see cref="StoppingPolicy"/>).</summary>
internal static class RunSample
{
    // At most this many rows, spread evenly over the data.
    private const int Rows = 256;

    /// <summary>Up to 256 rows of <paramref name="data"/>, evenly spaced; null when those carry no weight.</summary>
    public static TrainingData<T>? Of<T>(TrainingData<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Rows <= Rows)
            return data;
        int stride = data.Rows / Rows, features = data.Features, outputs = data.Outputs;
        var x = new T[Rows * features];
        var y = new T[Rows * outputs];
        var w = data.Weights is null ? null : new T[Rows];
        for (int i = 0; i < Rows; i++)
        {
            int row = i * stride;
            data.Inputs.AsSpan(row * features, features).CopyTo(x.AsSpan(i * features));
            data.Targets.AsSpan(row * outputs, outputs).CopyTo(y.AsSpan(i * outputs));
            if (w is not null)
                w[i] = data.Weights![row];
        }
        if (w is not null && !(VectorOps.Sum<T>(w) > 0))
            return null;
        return new TrainingData<T>(x, y, features, outputs, w);
    }
}
