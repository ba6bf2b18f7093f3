using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Activations;
using Backprop.Data.Columns;
using Backprop.Data.Csv;
using Backprop.Losses;
using Backprop.Regression;
using Backprop.Tables.Search;
using Backprop.Training;

namespace Backprop.Tables;

/// <summary>
/// Everything <see cref="TableModel.Fit"/> needs to go from a CSV file to a fitted model: which
/// columns to use, how to read the file, the network and its training, the test rows, and how the
/// run is streamed or checkpointed. By default (<see cref="Search"/> Auto) the network is chosen by a
/// cross-validated search and the model is an ensemble of fold networks; with
/// <see cref="SearchMode.None"/> one network is trained with the network options as given, which
/// default to the regressor's own (<see cref="RegressorOptions"/>). <see cref="Validate"/> checks
/// them all in one place.
/// </summary>
public sealed record TableOptions
{
    /// <summary>The share of rows set aside for test metrics when neither it nor <see cref="TestFile"/> is given and one network is trained (with the search, cross-validation takes its place).</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>Rows read, shuffled and trained on at a time when streaming, unless <see cref="ShuffleBuffer"/> says otherwise.</summary>
    public const int DefaultShuffleBuffer = 65_536;

    private static readonly RegressorOptions Defaults = new();

    /// <summary>The column(s) to predict; at least one.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Columns to leave out (ids, leaks).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>
    /// What an empty field does: fill it (<see cref="MissingPolicy.Impute"/>, the default: the training
    /// median plus a "was missing" input), stop with an error, drop the row, or fill with the training
    /// mean. A row with an empty target is left out and counted under every policy but Error.
    /// </summary>
    public MissingPolicy Missing { get; init; } = new EncoderOptions { Targets = [] }.Missing;

    /// <summary>
    /// Values read as missing in a numeric column besides an empty field and the standard tokens (NA,
    /// N/A, n/a, NaN, nan, null, NULL, ?). In a text column every word, these included, is a category.
    /// </summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = [];

    /// <summary>
    /// The decimal separator of the file's numbers, '.' or ','; null to detect it (a point in a
    /// comma-separated file; otherwise a comma when the numbers are written with one and none with a
    /// point only). Digits grouped in thousands (<c>1,570</c>; <c>1.570,5</c> with a decimal comma) are read either way.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>Columns read as text (categories) whatever their values, e.g. a code column that is mostly numbers.</summary>
    public IReadOnlyList<string> TextColumns { get; init; } = [];

    /// <summary>Columns used even when they look useless (an identifier-like text column, a column with one value), which are otherwise left out with a notice.</summary>
    public IReadOnlyList<string> KeepColumns { get; init; } = [];

    /// <summary>The first line names the columns. Default true; without it columns are named column1, column2, ...</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator, or null to detect it from the first line.</summary>
    public char? Separator { get; init; }

    /// <summary>
    /// The data files' format (the training file and <see cref="TestFile"/>): by default by extension,
    /// <c>.parquet</c> being Parquet. A Parquet file's schema names and types its columns, so
    /// <see cref="HasHeader"/> and <see cref="Separator"/> must keep their defaults.
    /// </summary>
    public Data.TableFormat Format { get; init; }

    /// <summary>
    /// What is trained: <see cref="SearchMode.Auto"/> (the default) searches a fixed space of
    /// networks by K-fold cross-validation and keeps the best one's K fold networks, averaged;
    /// <see cref="SearchMode.None"/> trains one network with the options as given. A streamed,
    /// checkpointed or resumed run trains one network whatever this says (the search needs the
    /// rows in memory and has no checkpoints), and says so in a notice.
    /// </summary>
    public SearchMode Search { get; init; }

    /// <summary>
    /// The targets' transform: <see cref="TargetTransform.Auto"/> (the default) lets the search
    /// try the log where every target is positive and skewed, and keep it if it cross-validates
    /// better (without a search: none); <see cref="TargetTransform.Log"/> needs every target value
    /// positive. Predictions and scores are always in the targets' own units.
    /// </summary>
    public TargetTransform TargetTransform { get; init; }

    /// <summary>Hidden layer sizes, first to last; empty for a linear model. Chosen by the search unless <see cref="Search"/> is None.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = Defaults.HiddenLayers;

    /// <summary>The hidden layers' activation. Chosen by the search unless <see cref="Search"/> is None.</summary>
    public Activation Activation { get; init; } = Defaults.Activation;

    /// <summary>The training loss.</summary>
    public LossKind Loss { get; init; } = Defaults.Loss;

    /// <summary>Huber's delta, in standardized target units.</summary>
    public double HuberDelta { get; init; } = Defaults.HuberDelta;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = Defaults.Optimizer;

    /// <summary>The base learning rate. Chosen by the search unless <see cref="Search"/> is None.</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>The learning-rate schedule.</summary>
    public ScheduleKind Schedule { get; init; } = Defaults.Schedule;

    /// <summary>Rows per step; larger than the data means full batch.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Maximum passes over the data (per network; the search's first round allows a third of them).</summary>
    public int Epochs { get; init; } = Defaults.Epochs;

    /// <summary>L2 penalty on the weights. Chosen by the search unless <see cref="Search"/> is None.</summary>
    public double L2 { get; init; } = Defaults.L2;

    /// <summary>Rescale gradients whose norm exceeds this; null for no clipping.</summary>
    public double? ClipNorm { get; init; } = Defaults.ClipNorm;

    /// <summary>Stop when the validation loss stops improving; off trains for all epochs on all training rows.</summary>
    public bool EarlyStopping { get; init; } = Defaults.EarlyStopping;

    /// <summary>Share of the training rows held out for early stopping.</summary>
    public double ValidationFraction { get; init; } = Defaults.ValidationFraction;

    /// <summary>Epochs without validation improvement before stopping.</summary>
    public int Patience { get; init; } = Defaults.Patience;

    /// <summary>Seed for the splits, the initial weights and the shuffles.</summary>
    public ulong Seed { get; init; } = Defaults.Seed;

    /// <summary>Threads for the kernels, or for the search the networks trained at once (each on one thread); 0 = all cores. Results do not depend on it.</summary>
    [ResumeMayChange]
    public int Threads { get; init; } = Defaults.Threads;

    /// <summary>float or double arithmetic.</summary>
    public Precision Precision { get; init; } = Defaults.Precision;

    /// <summary>
    /// For one network: stop training after this long (the best model so far is kept); null for no
    /// limit. For the search: the time the whole search may take; null for
    /// <see cref="DefaultSearchBudget"/>, which grows with the rows. When it binds, the result
    /// depends on the machine's speed, not on the seed alone.
    /// </summary>
    [ResumeMayChange]
    public TimeSpan? TimeBudget { get; init; } = Defaults.TimeBudget;

    /// <summary>
    /// Share of the rows set aside at random (by <see cref="Seed"/>) for test metrics; 0 for none.
    /// Null: none with the search (its out-of-fold scores take their place), when <see cref="TestFile"/>
    /// is given or when the run streams; otherwise <see cref="DefaultTestFraction"/>.
    /// </summary>
    public double? TestFraction { get; init; }

    /// <summary>A labelled file for the test metrics instead of a share of the data.</summary>
    public string? TestFile { get; init; }

    /// <summary>Write a checkpoint (model, optimizer, schedule, random state, history) to this file, atomically.</summary>
    [ResumeMayChange]
    public string? Checkpoint { get; init; }

    /// <summary>Epochs between checkpoints. Default 1.</summary>
    [ResumeMayChange]
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Continue the run saved in this checkpoint; the other options must be those of the run that wrote it.</summary>
    [ResumeMayChange]
    public string? Resume { get; init; }

    /// <summary>Train without loading the file: two passes fit the encoding, then each epoch streams the file in chunks.</summary>
    public bool Stream { get; init; }

    /// <summary>With <see cref="Stream"/>: rows read, shuffled and trained on at a time.</summary>
    public int ShuffleBuffer { get; init; } = DefaultShuffleBuffer;

    /// <summary>How the file is read.</summary>
    public CsvOptions Csv => new(HasHeader, Separator) { Format = Format };

    /// <summary>Whether this run searches: <see cref="Search"/> is Auto and nothing asks for one network (streaming, a checkpoint, a resume).</summary>
    public bool Searches => Search == SearchMode.Auto && !Stream && Checkpoint is null && Resume is null;

    /// <summary>The test share in effect: <see cref="TestFraction"/>, or its default.</summary>
    internal double EffectiveTestFraction => TestFraction ?? (TestFile is null && !Stream && !Searches ? DefaultTestFraction : 0);

    /// <summary>The search space; tests give a smaller one to stay fast.</summary>
    internal SearchSpace Space { get; init; } = SearchSpace.Default;

    /// <summary>
    /// The search's time when <see cref="TimeBudget"/> is not given: 15 seconds and 0.8 ms per
    /// training row, at most 110 seconds (17 s for 3,000 rows, 95 s for 100,000). Searches of a
    /// few thousand rows end well within it; it binds only on large tables or slow machines.
    /// </summary>
    public static TimeSpan DefaultSearchBudget(int rows) => TimeSpan.FromSeconds(Math.Min(110, 15 + 0.0008 * rows));

    internal EncoderOptions Encoder => new()
    {
        Targets = Targets,
        Ignore = Ignore,
        Missing = Missing,
        MissingTokens = MissingTokens,
        DecimalSeparator = DecimalSeparator,
        TextColumns = TextColumns,
        KeepColumns = KeepColumns,
    };

    /// <summary>
    /// Checks every option, alone and together, before any work.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A network or training option is out of range; <c>ParamName</c> is the property.</exception>
    /// <exception cref="TableOptionsException">A table option is wrong, or two options do not go together; the message names them.</exception>
    public void Validate()
    {
        ToRegressorOptions().Validate();
        if (Targets is null || Targets.Count == 0)
            throw new TableOptionsException("{0}: name at least one target column.", nameof(Targets));
        if (!Enum.IsDefined(Missing))
            throw new TableOptionsException("{0} must be one of " + string.Join(", ", Enum.GetNames<MissingPolicy>()) + $"; got {Missing}.", nameof(Missing));
        if (!Enum.IsDefined(Format))
            throw new TableOptionsException("{0} must be one of " + string.Join(", ", Enum.GetNames<Data.TableFormat>()) + $"; got {Format}.", nameof(Format));
        if (DecimalSeparator is char d && d is not ('.' or ','))
            throw new TableOptionsException($"{{0}} must be '.' or ',' (or null to detect it); got {TableOptionsException.Literal(d.ToString())}.", nameof(DecimalSeparator));
        if (MissingTokens is null || MissingTokens.Any(t => string.IsNullOrWhiteSpace(t)))
            throw new TableOptionsException("{0}: every token must have a character other than spaces (an empty field is always missing).", nameof(MissingTokens));
        if (TextColumns is null || KeepColumns is null || Ignore is null)
            throw new TableOptionsException("{0}, {1} and {2} must not be null; use an empty list.", nameof(Ignore), nameof(TextColumns), nameof(KeepColumns));
        if (TestFraction is double f && !(f >= 0 && f < 1))
            throw new TableOptionsException($"{{0}} must be in [0, 1); got {Number(f)}.", nameof(TestFraction));
        if (TestFile is not null && TestFraction is not null)
            throw new TableOptionsException("{0} and {1} cannot be used together; give one of them.", nameof(TestFile), nameof(TestFraction));
        if (Stream && (Checkpoint is not null || Resume is not null))
            throw new TableOptionsException("{0} and {1} cannot be used with {2} yet; train without {2} to checkpoint.", nameof(Checkpoint), nameof(Resume), nameof(Stream));
        if (!Enum.IsDefined(Search))
            throw new TableOptionsException("{0} must be one of " + string.Join(", ", Enum.GetNames<SearchMode>()) + $"; got {Search}.", nameof(Search));
        if (!Enum.IsDefined(TargetTransform))
            throw new TableOptionsException("{0} must be one of " + string.Join(", ", Enum.GetNames<TargetTransform>()) + $"; got {TargetTransform}.", nameof(TargetTransform));
        if (Searches)
            ValidateSearch();
        if (CheckpointEvery < 1)
            throw new TableOptionsException($"{{0}} must be at least 1; got {CheckpointEvery}.", nameof(CheckpointEvery));
        if (!Stream)
            return;
        if (TestFraction is not null)
            throw new TableOptionsException("{0} cannot be used with {1} (the file is never held in memory); give a {2} instead.", nameof(TestFraction), nameof(Stream), nameof(TestFile));
        if (ShuffleBuffer < 1)
            throw new TableOptionsException($"{{0}} must be at least 1; got {ShuffleBuffer}.", nameof(ShuffleBuffer));
        if (TargetTransform == TargetTransform.Log)
            throw new TableOptionsException("{0} log cannot be used with {1} yet (the target scaling is fitted in one streaming pass); train without {1}, or with {0} none.", nameof(TargetTransform), nameof(Stream));
        if (Optimizer == OptimizerKind.Lbfgs)
            throw new TableOptionsException("{0} lbfgs needs the whole data set at every step, so it cannot stream; use adam or sgd with {1}.", nameof(Optimizer), nameof(Stream));
    }

    // The search chooses the network: a network option given with it would be silently ignored.
    private void ValidateSearch()
    {
        var chosen = new (string Name, bool Given)[]
        {
            (nameof(HiddenLayers), !HiddenLayers.SequenceEqual(Defaults.HiddenLayers)),
            (nameof(Activation), Activation != Defaults.Activation),
            (nameof(LearningRate), !LearningRate.Equals(Defaults.LearningRate)),
            (nameof(L2), !L2.Equals(Defaults.L2)),
        };
        foreach (var (name, given) in chosen)
        {
            if (given)
                throw new TableOptionsException("{0} is chosen by the search; to train one network with it, turn the search off ({1} none).", name, nameof(Search));
        }
    }

    /// <summary>
    /// The regressor's options for these settings. The table encoder scales the inputs itself, so the
    /// regressor scales only the targets.
    /// </summary>
    public RegressorOptions ToRegressorOptions() => new()
    {
        ScaleInputs = false,
        ScaleTargets = true,
        HiddenLayers = HiddenLayers,
        Activation = Activation,
        Loss = Loss,
        HuberDelta = HuberDelta,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Schedule = Schedule,
        BatchSize = BatchSize,
        Epochs = Epochs,
        L2 = L2,
        ClipNorm = ClipNorm,
        EarlyStopping = EarlyStopping,
        ValidationFraction = ValidationFraction,
        Patience = Patience,
        Seed = Seed,
        Threads = Threads,
        Precision = Precision,
        TimeBudget = TimeBudget,
    };

    /// <summary>The names of the properties marked <see cref="ResumeMayChangeAttribute"/>.</summary>
    public static IReadOnlyList<string> ResumeMayChange { get; } =
        typeof(TableOptions).GetProperties().Where(p => p.IsDefined(typeof(ResumeMayChangeAttribute), inherit: false)).Select(p => p.Name).ToArray();

    /// <summary>
    /// Whether a checkpoint whose model was trained with <paramref name="saved"/> can be continued
    /// with these options: every training option must match, except those marked
    /// <see cref="ResumeMayChangeAttribute"/>.
    /// </summary>
    public bool CanResume(RegressorOptions saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var mine = ToRegressorOptions();
        // Scaling and warm start are not table options: the table model always sets them the same way.
        var theirs = saved with { ScaleInputs = mine.ScaleInputs, ScaleTargets = mine.ScaleTargets, WarmStart = mine.WarmStart };
        return JsonNode.DeepEquals(Comparable(mine), Comparable(theirs));
    }

    private static JsonObject Comparable(RegressorOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options)!.AsObject();
        foreach (string name in ResumeMayChange)
            node.Remove(name);
        return node;
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
