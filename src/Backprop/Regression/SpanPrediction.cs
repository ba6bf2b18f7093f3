using Backprop.Inference;

namespace Backprop.Regression;

// The span overloads of MlpRegressor and EnsemblePredictor: the shapes and values checked, then
// the packed members run.
internal static class SpanPrediction
{
    public static void Run<TIn>(PackedModel[] members, ReadOnlySpan<TIn> inputs, Span<double> outputs, bool oneRow, int threads = 0)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        int features = members[0].Features, targets = members[0].Outputs;
        if (oneRow && inputs.Length != features)
            throw new ArgumentException($"The model takes {features} features; the row has {inputs.Length} values.", "row");
        if (!oneRow && inputs.Length % features != 0)
            throw new ArgumentException($"The model takes {features} features per row; {inputs.Length} values are not a whole number of rows.", nameof(inputs));
        int rows = inputs.Length / features;
        if (outputs.Length < (long)rows * targets)
            throw new ArgumentException($"The output holds {outputs.Length} values; {rows} row(s) of {targets} target(s) need {rows * targets}.", oneRow ? "output" : nameof(outputs));
        if (DataSet.FirstNonFinite(inputs) is int bad and >= 0)
            throw new ArgumentException($"Input row {bad / features}, column {bad % features} is {inputs[bad]}; NaN and infinite values are not allowed.", oneRow ? "row" : nameof(inputs));
        if (rows > 0)
            Predictions.Run(members, inputs, outputs, rows, oneRow ? 1 : threads > 0 ? threads : Environment.ProcessorCount);
    }
}
