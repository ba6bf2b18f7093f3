using System.Globalization;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;

namespace Backprop.Samples.FitCsv;

/// <summary>
/// Fits a CSV file with the library: load the table, hold out a test set, learn the column encoding
/// on the training rows, fit an <see cref="MlpRegressor"/> and print its metrics.
/// Usage: <c>dotnet run --project samples/FitCsv [-- DATA.csv TARGET]</c> (default: the diabetes sample).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string data = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "diabetes.csv");
        string target = args.Length > 1 ? args[1] : "target";
        return Run(data, target, epochs: 200, Console.Out);
    }

    public static int Run(string data, string target, int epochs, TextWriter output)
    {
        // 1. The raw table: every column as text, kinds inferred later.
        var table = DataTable.Load(data);

        // 2. A random 20% test split, set aside before anything is learned from the data.
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(1).Shuffle(rows);
        int testCount = table.RowCount / 5;
        var testTable = table.Select(rows[..testCount]);
        var trainTable = table.Select(rows[testCount..]);

        // 3. Standardize numeric columns and one-hot encode text ones, learned on the training rows only.
        var encoder = TableEncoder.Fit(trainTable, new EncoderOptions { Targets = [target] });
        var train = encoder.Encode(trainTable, requireTargets: true);
        var test = encoder.Encode(testTable, requireTargets: true);

        // 4. Fit: 32x16 tanh network, Adam, early stopping on 10% of the training rows.
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [32, 16], Epochs = epochs, Seed = 1 });
        var result = model.Fit(train);

        // 5. Metrics in the target's units, and one prediction.
        var trainScores = model.Score(train);
        var testScores = model.Score(test);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{Path.GetFileName(data)}: {train.Rows} training rows, {test.Rows} test rows, {encoder.FeatureCount} inputs"));
        output.WriteLine(string.Create(inv, $"stopped: {result.Reason} after {result.EpochsRun} epochs (best epoch {result.BestEpoch})"));
        output.WriteLine(string.Create(inv, $"train  R2 {trainScores.R2:F3}  RMSE {trainScores.Rmse:F2}  MAE {trainScores.Mae:F2}"));
        output.WriteLine(string.Create(inv, $"test   R2 {testScores.R2:F3}  RMSE {testScores.Rmse:F2}  MAE {testScores.Mae:F2}"));
        double first = model.Predict(test.Inputs.AsSpan(0, test.Features), 1)[0];
        output.WriteLine(string.Create(inv, $"first test row: predicted {first:F1}, actual {test.Targets![0]:F1}"));
        return 0;
    }
}
