using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Regression;

// The Backprop side of the defaults comparison. For each data set it reads NAME.train.csv and
// NAME.test.csv (written by split.py), encodes them exactly as `backprop train --test-file` does
// (TableEncoder fitted on the training file; inputs standardized by the encoder, the target by the
// regressor), fits an MlpRegressor with the library's defaults (plus any Name=value overrides of
// RegressorOptions properties) once per seed, and prints set,model,seed,r2,rmse,seconds,epochs
// lines (epochs: kept epoch / epochs run).
//
//   dotnet run -c Release --project bench/defaults/DefaultsBench -- SPLIT_DIR [--label backprop]
//       [--seeds 1,2,3,4,5] [--sets mpg,cpus] [Patience=20 BatchSize=64 ...]
var sets = new Dictionary<string, (string Target, string[] Ignore, MissingPolicy Missing)>
{
    ["txhousing"] = ("median", ["date", "volume"], MissingPolicy.Mean),
    ["sacramento"] = ("price", [], MissingPolicy.Error),
    ["movies"] = ("IMDB_Rating", ["Title", "Director"], MissingPolicy.Mean),
    ["salaries"] = ("salary", [], MissingPolicy.Error),
    ["mpg"] = ("hwy", ["cty"], MissingPolicy.Error),
    ["cpus"] = ("perf", ["name", "estperf"], MissingPolicy.Error),
    ["msleep"] = ("sleep_total", ["name", "genus", "awake"], MissingPolicy.Mean),
    ["diabetes"] = ("target", [], MissingPolicy.Error),
    ["friedman20k"] = ("y", [], MissingPolicy.Error),
};

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: DefaultsBench SPLIT_DIR [--label L] [--seeds 1,2,3] [--sets a,b] [Option=value ...]");
    return 2;
}
string dir = args[0];
string label = "backprop";
ulong[] seeds = [1, 2, 3, 4, 5];
string[] chosen = [.. sets.Keys];
var overrides = new List<(PropertyInfo Property, string Value)>();
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--label": label = args[++i]; break;
        case "--seeds": seeds = [.. args[++i].Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--sets": chosen = args[++i].Split(','); break;
        default:
            var parts = args[i].Split('=', 2);
            var property = typeof(RegressorOptions).GetProperty(parts[0]) ?? throw new ArgumentException($"No option {parts[0]}.");
            overrides.Add((property, parts[1]));
            break;
    }
}

Console.WriteLine("set,model,seed,r2,rmse,seconds,epochs");
foreach (string name in chosen)
{
    var (targetName, ignore, missing) = sets[name];
    var encoderOptions = new EncoderOptions { Targets = [targetName], Ignore = ignore, Missing = missing };
    var trainTable = DataTable.Load(Path.Combine(dir, name + ".train.csv"), new CsvOptions(true, null));
    var testTable = DataTable.Load(Path.Combine(dir, name + ".test.csv"), new CsvOptions(true, null));
    var encoder = TableEncoder.Fit(trainTable, encoderOptions);
    var train = encoder.Encode(trainTable, requireTargets: true);
    var test = encoder.Encode(testTable, requireTargets: true);
    foreach (ulong seed in seeds)
    {
        var options = Apply(new RegressorOptions { ScaleInputs = false, ScaleTargets = true, Seed = seed }, overrides);
        var clock = Stopwatch.StartNew();
        var model = new MlpRegressor(options);
        model.Fit(train);
        var score = model.Score(test);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name},{label},{seed},{score.R2:F6},{score.Rmse:G6},{clock.Elapsed.TotalSeconds:F2},{model.LastResult!.BestEpoch}/{model.LastResult.EpochsRun}"));
    }
}
return 0;


static RegressorOptions Apply(RegressorOptions options, List<(PropertyInfo Property, string Value)> overrides)
{
    var copy = options with { };
    foreach (var (property, text) in overrides)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        object value = type.IsEnum ? Enum.Parse(type, text, ignoreCase: true)
            : type == typeof(IReadOnlyList<int>) ? text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
        property.SetValue(copy, value);
    }
    copy.Validate();
    return copy;
}
