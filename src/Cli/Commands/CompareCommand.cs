using NetNumerics.Fast.Schedules;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Training.Callbacks;
using NetNumerics.Schedules;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.CommandLine;
using System.Globalization;
using NetNumerics.Optimizers;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics compare SUITE`: trains every configuration of a suite (<see cref="CompareSuites"/>, or a configuration
/// file), each --seeds times, on the same data, in-process with <see cref="Trainer"/>, and writes into a fresh output
/// folder the report (<see cref="CompareReport"/>: results.md, results.csv, curves and the summary figure), each
/// configuration's history.csv and outcome.json, and compare.json. <c>--shard K/N</c> runs only configurations i with
/// i mod N = K - 1 into a folder of its own; `compare merge` (<see cref="CompareMerge"/>) joins the shard folders into
/// the report an unsharded run writes.
/// </summary>
static class CompareCommand
{
    public static Command Create(CliServices services, TextWriter output, TextWriter error)
    {
        var suite = new Argument<string>("SUITE")
        {
            Description = $"{string.Join(", ", CompareSuites.Names)}, or a file with one configuration per line: 'name; --optimizer X --lr Y [--schedule Z] [--schedule-per-iteration]'.",
        };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per configuration.", DefaultValueFactory = _ => 25 };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 250 };
        var validationSplit = new Option<double>("--validation-split") { Description = "Fraction of the training set held out (the last samples).", DefaultValueFactory = _ => 0.2 };
        var target = new Option<double>("--target") { Description = "Validation accuracy whose first epoch the table reports.", DefaultValueFactory = _ => 0.98 };
        var seed = CommandKit.SeedOption();
        var seeds = new Option<int>("--seeds") { Description = "Run each configuration with this many seeds (--seed, --seed+1, ...) and report mean and standard deviation.", DefaultValueFactory = _ => 1 };
        var threads = CommandKit.ThreadsOption();
        var data = new Option<string>("--data") { Description = "Folder of IDX or CIFAR-10 binary files (data/mnist is fetched if missing).", DefaultValueFactory = _ => DataSource.DefaultData };
        var model = CommandKit.ModelOption();
        var trainLimit = new Option<int>("--train-limit") { Description = "Use only the first N training samples (0 = all).", DefaultValueFactory = _ => 0 };
        var testLimit = new Option<int>("--test-limit") { Description = "Use only the first N test samples (0 = all).", DefaultValueFactory = _ => 0 };
        var shard = new Option<string>("--shard") { Description = "Run only shard K of N (configurations i with i mod N = K-1), e.g. 2/4; join the shard folders with `compare merge`.", DefaultValueFactory = _ => "1/1" };
        var list = new Option<bool>("--list") { Description = "Print the configurations (and which shard runs each) and exit without training or reading data (clr alone reads the data: its bounds come from a range test).", DefaultValueFactory = _ => false };
        var outDir = CommandKit.OutOption("compare");
        var quiet = CommandKit.QuietOption();
        var cmd = new Command("compare", "Train a suite of configurations on the same data and seed; write a results table and overlaid curves.")
        {
            suite, epochs, batchSize, validationSplit, target, seed, seeds, threads, data, model, trainLimit, testLimit, shard, list, outDir, quiet,
        };
        cmd.Subcommands.Add(CompareMerge.Create(output, error));
        cmd.SetAction(pr => CommandKit.Guarded("compare", error, () =>
        {
            var s = new CompareSettings
            {
                Suite = pr.GetValue(suite)!, Epochs = pr.GetValue(epochs), BatchSize = pr.GetValue(batchSize),
                ValidationSplit = pr.GetValue(validationSplit), Target = pr.GetValue(target), Seed = pr.GetValue(seed), Seeds = pr.GetValue(seeds),
                Threads = pr.GetValue(threads), Data = pr.GetResult(data) is { Implicit: false } ? pr.GetValue(data) : null, Model = CommandKit.ModelText(pr, model),
                TrainLimit = pr.GetValue(trainLimit), TestLimit = pr.GetValue(testLimit), Quiet = pr.GetValue(quiet),
                Shard = Shard.Parse(pr.GetValue(shard)!), List = pr.GetValue(list),
            };
            return new CompareRun(services, output, error, s).Execute(pr.GetValue(outDir));
        }));
        return cmd;
    }
}

sealed record CompareSettings
{
    public required string Suite { get; init; }
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public double ValidationSplit { get; init; }
    public double Target { get; init; }
    public ulong Seed { get; init; }
    public int Seeds { get; init; } = 1;
    public int Threads { get; init; }
    public string? Data { get; init; }
    public string? Model { get; init; }
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    public bool Quiet { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
    public bool List { get; init; }
}

sealed class CompareRun(CliServices services, TextWriter output, TextWriter error, CompareSettings s)
{
    /// <summary>A configuration ready to train: the parsed optimizer and schedule.</summary>
    sealed record Prepared(RunConfig Config, OptimizerSpec Optimizer, ISchedule? Schedule);

    public int Execute(string? outDir)
    {
        // 1. Flags, suite, data, model and every configuration are checked before anything is written.
        CommandKit.Positive(s.Epochs, "--epochs");
        CommandKit.Positive(s.BatchSize, "--batch-size");
        CommandKit.Positive(s.Threads, "--threads");
        CommandKit.Positive(s.Seeds, "--seeds");
        CommandKit.NonNegative(s.TrainLimit, "--train-limit");
        CommandKit.NonNegative(s.TestLimit, "--test-limit");
        if (!double.IsFinite(s.ValidationSplit) || s.ValidationSplit < 0 || s.ValidationSplit >= 1)
            throw new UsageException($"--validation-split must be in [0, 1), but was {CommandKit.R(s.ValidationSplit)}.");
        if (!double.IsFinite(s.Target) || s.Target <= 0 || s.Target > 1)
            throw new UsageException($"--target must be in (0, 1], but was {CommandKit.R(s.Target)}.");
        bool builtIn = CompareSuites.Names.Contains(s.Suite);
        if (!builtIn && !File.Exists(s.Suite))
            throw new UsageException($"'{s.Suite}' is neither a suite ({string.Join(", ", CompareSuites.Names)}) nor a configuration file.");
        IReadOnlyList<RunConfig>? fromFile = null;
        if (!builtIn)
        {
            try { fromFile = CompareSuites.ParseFile(s.Suite); }
            catch (FormatException e) { throw new UsageException(e.Message); }
        }
        using var folder = s.List ? null : OutputFolder.Check(outDir, s.Shard.Count == 1 ? "compare" : $"compare-shard-{s.Shard.Index}-of-{s.Shard.Count}");
        // The data, model and probe are loaded on first use, so a --list of a suite that needs no data (all but clr, whose
        // configurations come from the batch count and a range test) reads, and fetches, nothing.
        (Dataset Train, Dataset Test, NetworkSpec? Network, IModel Probe)? loaded = null;
        (Dataset Train, Dataset Test, NetworkSpec? Network, IModel Probe) Load()
        {
            if (loaded is { } done) return done;
            var (train, test) = DataSource.Load(services, output, s.Data, s.TrainLimit, s.TestLimit);
            Runs.RunPreflight.CheckSamples(train, test, s.ValidationSplit, s.TrainLimit > 0 ? s.TrainLimit : null, s.Data ?? DataSource.DefaultData);
            var network = RunSetup.Model(s.Model, train);
            var probe = RunSetup.CreateModel(services, train, network, s.Seed, s.Threads, s.BatchSize);   // the shape is accepted before any folder is made
            loaded = (train, test, network, probe);
            return loaded.Value;
        }
        if (!s.List) Load();
        string? note = null;
        var suiteData = new SuiteData(() => RunSetup.BatchesPerEpoch(Load().Train.Count, s.ValidationSplit, s.BatchSize), () =>
        {
            var bounds = RangeTest(Load().Train, Load().Network);
            note = $"CLR bounds: the range test (Adam, lr 1e-7 to 10 over 100 batches of {s.BatchSize}, seed {s.Seed}; `numerics lr-find` with the same flags) " +
                $"suggested base {CompareSuites.Round3(bounds.Base)}, max {CompareSuites.Round3(bounds.Max)}.";
            return bounds;
        });
        var configs = CompareSuites.WithSeeds(fromFile ?? CompareSuites.Get(s.Suite, s.Epochs, suiteData)!, s.Seeds, s.Seed);
        var prepared = configs.Select(Prepare).ToArray();
        configs = prepared.Select(p => p.Config).ToArray();
        var mine = Enumerable.Range(0, configs.Count).Where(s.Shard.Takes).ToArray();
        if (s.List)
        {
            for (int i = 0; i < configs.Count; i++)
                output.WriteLine($"{i + 1}\tshard {i % s.Shard.Count + 1}/{s.Shard.Count}{(s.Shard.Takes(i) ? "" : " (not this one)")}\t{configs[i].Name}\t{configs[i].Describe()}");
            return 0;
        }
        var (train, test, network, probe) = Load();
        var header = new CompareHeader
        {
            Suite = s.Suite, Data = s.Data ?? DataSource.DefaultData, TrainCount = train.Count, TestCount = test.Count, ValidationSplit = s.ValidationSplit,
            Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = s.Seed, Seeds = s.Seeds, Target = s.Target, Model = RunSetup.Describe(network, probe), Note = note,
            Threads = s.Threads.ToString(CultureInfo.InvariantCulture), Processors = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            Runtime = Environment.Version.ToString(),
        };

        // 2. Train this shard's configurations; write into the staging folder, rename at the end.
        string dir = folder!.Begin();
        if (!s.Quiet)
            output.WriteLine($"Comparing {mine.Length} of {configs.Count} configurations ({s.Suite}{(s.Shard.Count > 1 ? $", shard {s.Shard}" : "")}) on {train.Count} samples " +
                $"({CompareReport.HeldOut(train.Count, s.ValidationSplit)} held out), {test.Count} test samples, {s.Epochs} epochs, batch {s.BatchSize}, seed {s.Seed}; model {header.Model}; output in {folder.Target}");
        var outcomes = new List<CompareOutcome>();
        foreach (int i in mine)
        {
            var p = prepared[i];
            if (!s.Quiet) output.WriteLine($"[{i + 1}/{configs.Count}] {p.Config.Name}: {p.Config.Describe()}");
            var outcome = RunOne(i, p, train, test, network, dir);
            outcomes.Add(outcome);
            CompareStore.WriteOutcome(Path.Combine(dir, outcome.Folder), outcome);
            if (!s.Quiet) output.WriteLine($"[{i + 1}/{configs.Count}] {p.Config.Name}: {CompareReport.Summary(outcome)}");
        }
        var report = new CompareReport(header);
        report.Write(dir, outcomes);
        CompareStore.WriteManifest(dir, header, s.Shard, configs, mine);
        folder.Commit();
        output.Write(report.Table(outcomes));
        output.WriteLine($"wrote {CompareReport.Files}, {CompareStore.ManifestFile} and one history.csv per configuration in {folder.Target}");
        // A configuration that could not run fails the command, and so does a comparison in which every configuration
        // diverged (no result to compare), even though the table records them; a few diverging configurations are a result.
        var failed = outcomes.Where(o => o.Error is not null).ToArray();
        var diverged = outcomes.Where(o => o.Error is null && Diverged(o)).ToArray();
        if (failed.Length == 0 && (outcomes.Count == 0 || diverged.Length < outcomes.Count)) return 0;
        string of = $"of {outcomes.Count} configuration{(outcomes.Count == 1 ? "" : "s")}";
        error.WriteLine(failed.Length > 0
            ? $"numerics compare: {failed.Length} {of} failed (first: '{CommandKit.Shorten(failed[0].Config.Name)}': {failed[0].Error}); the table in {folder.Target} has the others."
            : $"numerics compare: {diverged.Length} {of} diverged (first: '{CommandKit.Shorten(diverged[0].Config.Name)}': {diverged[0].StopReason}); no configuration gave a result (the table is in {folder.Target}).");
        return 1;
    }

    static bool Diverged(CompareOutcome o) => o.StopReason is { } r
        && (r.StartsWith("TerminateOnNaN", StringComparison.Ordinal) || r.StartsWith(Trainer.NonFiniteWeightsReason, StringComparison.Ordinal));

    /// <summary>The configuration with its optimizer in printed form, parsed; a bad one is a UsageException naming it.</summary>
    Prepared Prepare(RunConfig c)
    {
        var optimizer = OptimizerCatalog.Parse(c.Optimizer, $"configuration '{c.Name}': --optimizer");
        CommandKit.PositiveFinite(c.LearningRate, $"configuration '{c.Name}': --lr");
        var schedule = c.Schedule is null ? null : FastSchedule.From(CommandKit.ParseSchedule(services, c.Schedule, c.LearningRate, $"configuration '{c.Name}': schedule"));
        return new Prepared(c with { Optimizer = optimizer.ToString() }, optimizer, schedule);
    }

    /// <summary>The clr suite's bounds: the range test exactly as `numerics lr-find` runs it by default on this data, model, batch and seed.</summary>
    (double Base, double Max) RangeTest(Dataset train, NetworkSpec? network)
    {
        var model = RunSetup.CreateModel(services, train, network, s.Seed, s.Threads, s.BatchSize);
        var result = LrRangeTest.Run(model, services.CreateOptimizer(new AdamOptions()), train, new LrRangeTestOptions { BatchSize = s.BatchSize, Seed = s.Seed });
        try
        {
            var sug = result.Suggest(new LrRangeTestOptions().Steps);
            return (sug.BaseLearningRate, sug.MaxLearningRate);
        }
        catch (ArgumentException e) { throw new UsageException($"the clr suite's range test found no bounds: {e.Message}"); }
    }

    CompareOutcome RunOne(int index, Prepared p, Dataset train, Dataset test, NetworkSpec? network, string root)
    {
        var c = p.Config;
        string sub = CompareOutcome.FolderName(index, c.Name), dir = Path.Combine(root, sub);
        Directory.CreateDirectory(dir);
        long start = services.Clock.GetTimestamp();
        ulong seed = c.Seed ?? s.Seed;
        try
        {
            var model = RunSetup.CreateModel(services, train, network, seed, s.Threads, s.BatchSize);
            var optimizer = services.CreateOptimizer(p.Optimizer.Options);
            var (schedule, granularity) = RunSetup.LearningRate(p.Optimizer, p.Schedule, c.PerIteration, c.LearningRate, RunSetup.BatchesPerEpoch(train.Count, s.ValidationSplit, s.BatchSize));
            var options = new TrainingOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, ValidationSplit = s.ValidationSplit, Seed = seed, LearningRate = c.LearningRate, ScheduleGranularity = granularity,
            };
            var callbacks = new List<Callback> { new TerminateOnNaN(), new CsvLogger(Path.Combine(dir, "history.csv")) };
            if (!s.Quiet) callbacks.Add(new ProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected));
            var result = new Trainer(model, optimizer, options, schedule, FastClipping.Instance).Fit(train, test, callbacks);
            return new CompareOutcome(index, c, sub, result.History, result.Test, result.StopReason, services.Clock.GetElapsedTime(start).TotalSeconds, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or UsageException)
        {
            return new CompareOutcome(index, c, sub, [], null, null, services.Clock.GetElapsedTime(start).TotalSeconds, CommandKit.Reason(e));
        }
    }
}
