using NetNumerics.Fast.Schedules;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Training.Callbacks;
using NetNumerics.Schedules;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetNumerics.Cli.Plots;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics compare SUITE`: trains every configuration of a suite (<see cref="CompareSuites"/>, or a configuration
/// file) on the same data with the same seed, in-process with <see cref="Trainer"/>, and writes into a fresh output
/// folder results.md (a markdown table), results.csv, each configuration's history.csv and the overlaid curves
/// (validation accuracy, validation loss, training loss per epoch) as PNG and SVG.
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
        var threads = CommandKit.ThreadsOption();
        var data = new Option<string>("--data") { Description = "Folder of IDX or CIFAR-10 binary files (data/mnist is fetched if missing).", DefaultValueFactory = _ => DataSource.DefaultData };
        var trainLimit = new Option<int>("--train-limit") { Description = "Use only the first N training samples (0 = all).", DefaultValueFactory = _ => 0 };
        var testLimit = new Option<int>("--test-limit") { Description = "Use only the first N test samples (0 = all).", DefaultValueFactory = _ => 0 };
        var outDir = CommandKit.OutOption("compare");
        var quiet = CommandKit.QuietOption();
        var cmd = new Command("compare", "Train a suite of configurations on the same data and seed; write a results table and overlaid curves.")
        {
            suite, epochs, batchSize, validationSplit, target, seed, threads, data, trainLimit, testLimit, outDir, quiet,
        };
        cmd.SetAction(pr => CommandKit.Guarded("compare", error, () =>
        {
            var s = new CompareSettings
            {
                Suite = pr.GetValue(suite)!, Epochs = pr.GetValue(epochs), BatchSize = pr.GetValue(batchSize),
                ValidationSplit = pr.GetValue(validationSplit), Target = pr.GetValue(target), Seed = pr.GetValue(seed),
                Threads = pr.GetValue(threads), Data = pr.GetResult(data) is { Implicit: false } ? pr.GetValue(data) : null,
                TrainLimit = pr.GetValue(trainLimit), TestLimit = pr.GetValue(testLimit), Quiet = pr.GetValue(quiet),
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
    public int Threads { get; init; }
    public string? Data { get; init; }
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    public bool Quiet { get; init; }
}

/// <summary>What one configuration produced (History empty and Error set when it could not run).</summary>
sealed record CompareOutcome(RunConfig Config, string Folder, IReadOnlyList<EpochLogs> History, BatchResult? Test, string? StopReason, double Seconds, string? Error)
{
    public double? FinalValAccuracy => History.Count == 0 ? null : History[^1].ValAccuracy;
    public double? BestValAccuracy => History.Where(h => h.ValAccuracy is not null).Select(h => h.ValAccuracy).Max();

    /// <summary>1-based epoch at which the validation accuracy first reached <paramref name="target"/>; null if never.</summary>
    public int? EpochsTo(double target) => History.FirstOrDefault(h => h.ValAccuracy >= target) is { } h ? h.Epoch + 1 : null;
}

sealed class CompareRun(CliServices services, TextWriter output, TextWriter error, CompareSettings s)
{
    public int Execute(string? outDir)
    {
        // 1. Flags, suite and every configuration are checked before anything is written.
        CommandKit.Positive(s.Epochs, "--epochs");
        CommandKit.Positive(s.BatchSize, "--batch-size");
        CommandKit.Positive(s.Threads, "--threads");
        CommandKit.NonNegative(s.TrainLimit, "--train-limit");
        CommandKit.NonNegative(s.TestLimit, "--test-limit");
        if (!double.IsFinite(s.ValidationSplit) || s.ValidationSplit < 0 || s.ValidationSplit >= 1)
            throw new UsageException($"--validation-split must be in [0, 1), but was {CommandKit.R(s.ValidationSplit)}.");
        if (!double.IsFinite(s.Target) || s.Target <= 0 || s.Target > 1)
            throw new UsageException($"--target must be in (0, 1], but was {CommandKit.R(s.Target)}.");
        var configs = Configs();
        var schedules = configs.Select(c => c.Schedule is null ? null : FastSchedule.From(CommandKit.ParseSchedule(services, c.Schedule, c.LearningRate, $"configuration '{c.Name}': schedule"))).ToArray();
        foreach (var c in configs)
        {
            if (!services.OptimizerNames.Contains(c.Optimizer))
                throw new UsageException($"configuration '{c.Name}': optimizer '{c.Optimizer}' is unknown; choose one of {string.Join(", ", services.OptimizerNames)}.");
            CommandKit.PositiveFinite(c.LearningRate, $"configuration '{c.Name}': --lr");
        }
        using var folder = OutputFolder.Check(outDir, "compare");
        var (train, test) = DataSource.Load(services, output, s.Data, s.TrainLimit, s.TestLimit);
        Runs.RunPreflight.CheckSamples(train, test, s.ValidationSplit, s.TrainLimit > 0 ? s.TrainLimit : null, s.Data ?? DataSource.DefaultData);
        DataSource.CreateModel(services, train, s.Seed, s.Threads, s.BatchSize);   // the shape is accepted before any folder is made

        // 2. Train each configuration; write into the staging folder, rename at the end.
        string dir = folder.Begin();
        if (!s.Quiet)
            output.WriteLine($"Comparing {configs.Count} configurations ({s.Suite}) on {train.Count} samples ({HeldOut(train.Count)} held out), {test.Count} test samples, " +
                $"{s.Epochs} epochs, batch {s.BatchSize}, seed {s.Seed}; output in {folder.Target}");
        var outcomes = new List<CompareOutcome>();
        for (int i = 0; i < configs.Count; i++)
        {
            var c = configs[i];
            string sub = $"{i + 1:00}-{Slug(c.Name)}";
            if (!s.Quiet) output.WriteLine($"[{i + 1}/{configs.Count}] {c.Name}: {c.Describe()}");
            var outcome = RunOne(c, schedules[i], train, test, Path.Combine(dir, sub), sub);
            outcomes.Add(outcome);
            if (!s.Quiet) output.WriteLine($"[{i + 1}/{configs.Count}] {c.Name}: {Summary(outcome)}");
        }
        File.WriteAllText(Path.Combine(dir, "results.md"), Markdown(outcomes, train.Count, test.Count));
        File.WriteAllText(Path.Combine(dir, "results.csv"), Csv(outcomes));
        WritePlots(dir, outcomes);
        folder.Commit();
        output.Write(Table(outcomes));
        output.WriteLine($"wrote results.md, results.csv, val_accuracy.png/.svg, val_loss.png/.svg, loss.png/.svg and one history.csv per configuration in {folder.Target}");
        // A configuration that could not run fails the command, and so does a comparison in which every configuration
        // diverged (no result to compare), even though the table records them; a few diverging configurations are a result.
        var failed = outcomes.Where(o => o.Error is not null).ToArray();
        var diverged = outcomes.Where(o => o.Error is null && Diverged(o)).ToArray();
        if (failed.Length == 0 && diverged.Length < outcomes.Count) return 0;
        string of = $"of {outcomes.Count} configuration{(outcomes.Count == 1 ? "" : "s")}";
        error.WriteLine(failed.Length > 0
            ? $"numerics compare: {failed.Length} {of} failed (first: '{CommandKit.Shorten(failed[0].Config.Name)}': {failed[0].Error}); the table in {folder.Target} has the others."
            : $"numerics compare: {diverged.Length} {of} diverged (first: '{CommandKit.Shorten(diverged[0].Config.Name)}': {diverged[0].StopReason}); no configuration gave a result (the table is in {folder.Target}).");
        return 1;
    }

    static bool Diverged(CompareOutcome o) => o.StopReason is { } r
        && (r.StartsWith("TerminateOnNaN", StringComparison.Ordinal) || r.StartsWith(Trainer.NonFiniteWeightsReason, StringComparison.Ordinal));

    /// <summary>Samples the split holds out (the trainer's n - floor(n * (1 - split))).</summary>
    string HeldOut(int n) => (n - (int)Math.Floor(n * (1.0 - s.ValidationSplit))).ToString(CultureInfo.InvariantCulture);

    IReadOnlyList<RunConfig> Configs()
    {
        var builtIn = CompareSuites.Get(s.Suite, s.Epochs);
        if (builtIn is not null) return builtIn;
        if (!File.Exists(s.Suite))
            throw new UsageException($"'{s.Suite}' is neither a suite ({string.Join(", ", CompareSuites.Names)}) nor a configuration file.");
        try { return CompareSuites.ParseFile(s.Suite, services.OptimizerNames); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    CompareOutcome RunOne(RunConfig c, ISchedule? schedule, Dataset train, Dataset test, string dir, string sub)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var model = DataSource.CreateModel(services, train, s.Seed, s.Threads, s.BatchSize);
            var optimizer = services.CreateOptimizer(c.Optimizer);
            var options = new TrainingOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, ValidationSplit = s.ValidationSplit, Seed = s.Seed, LearningRate = c.LearningRate,
                ScheduleGranularity = c.PerIteration ? ScheduleGranularity.PerIteration : ScheduleGranularity.PerEpoch,
            };
            Directory.CreateDirectory(dir);
            var callbacks = new List<Callback> { new TerminateOnNaN(), new CsvLogger(Path.Combine(dir, "history.csv")) };
            if (!s.Quiet) callbacks.Add(new ProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected));
            var result = new Trainer(model, optimizer, options, schedule, FastClipping.Instance).Fit(train, test, callbacks);
            return new CompareOutcome(c, sub, result.History, result.Test, result.StopReason, clock.Elapsed.TotalSeconds, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return new CompareOutcome(c, sub, [], null, null, clock.Elapsed.TotalSeconds, CommandKit.Reason(e));
        }
    }

    static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (char ch in name.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch == '.' ? ch : '-');
        string slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "config" : slug.Length > 40 ? slug[..40] : slug;
    }

    static string P(double? v) => v is { } x ? (double.IsNaN(x) ? "nan" : x.ToString("F4", CultureInfo.InvariantCulture)) : "-";

    string Summary(CompareOutcome o) => o.Error is not null ? $"failed: {o.Error}" :
        $"final val_accuracy {P(o.FinalValAccuracy)}, test_accuracy {P(o.Test?.Accuracy)}, test_loss {P(o.Test?.MeanLoss)}, {o.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s" +
        (o.StopReason is null ? "" : $" ({o.StopReason})");

    string[] Header => ["config", "optimizer", "lr", "schedule", "final val acc", "best val acc", "test acc", "test loss",
        $"epochs to {s.Target.ToString("0.##", CultureInfo.InvariantCulture)} val acc", "time (s)", "note"];

    string[] Row(CompareOutcome o) =>
    [
        o.Config.Name, o.Config.Optimizer, CommandKit.Lr(o.Config.LearningRate),
        o.Config.Schedule is null ? "constant" : o.Config.Schedule + (o.Config.PerIteration ? " (per iteration)" : ""),
        P(o.FinalValAccuracy), P(o.BestValAccuracy), P(o.Test?.Accuracy), P(o.Test?.MeanLoss),
        o.EpochsTo(s.Target) is { } e ? e.ToString(CultureInfo.InvariantCulture) : "never",
        o.Seconds.ToString("F1", CultureInfo.InvariantCulture),
        o.Error is not null ? "failed: " + o.Error : o.StopReason ?? "",
    ];

    string Table(IReadOnlyList<CompareOutcome> outcomes)
    {
        static string Cell(string v) => v.Replace("|", "\\|");
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", Header).Append(" |\n");
        sb.Append('|').AppendJoin("", Header.Select(_ => "---|")).Append('\n');
        foreach (var o in outcomes) sb.Append("| ").AppendJoin(" | ", Row(o).Select(Cell)).Append(" |\n");
        return sb.ToString();
    }

    string Markdown(IReadOnlyList<CompareOutcome> outcomes, int trainCount, int testCount) =>
        $"# compare {s.Suite}\n\n" +
        $"Data: {s.Data ?? DataSource.DefaultData} ({trainCount} training samples, {HeldOut(trainCount)} of them held out for validation; {testCount} test samples). " +
        $"Epochs {s.Epochs}, batch {s.BatchSize}, seed {s.Seed}, threads {s.Threads}, {Environment.ProcessorCount} processors, .NET {Environment.Version}.\n\n" +
        Table(outcomes) +
        "\nCurves: val_accuracy.png, val_loss.png, loss.png (and .svg); per-configuration history in NN-name/history.csv.\n";

    string Csv(IReadOnlyList<CompareOutcome> outcomes)
    {
        var sb = new StringBuilder("config,optimizer,lr,schedule,per_iteration,final_val_accuracy,best_val_accuracy,test_accuracy,test_loss,epochs_to_target,seconds,folder,note\n");
        static string F(double? v) => v is { } x ? CommandKit.R(x) : "";
        foreach (var o in outcomes)
            sb.AppendJoin(',', [
                ScheduleCommand.Field(o.Config.Name), o.Config.Optimizer, CommandKit.R(o.Config.LearningRate), ScheduleCommand.Field(o.Config.Schedule ?? ""),
                o.Config.PerIteration ? "1" : "0", F(o.FinalValAccuracy), F(o.BestValAccuracy), F(o.Test?.Accuracy), F(o.Test?.MeanLoss),
                o.EpochsTo(s.Target)?.ToString(CultureInfo.InvariantCulture) ?? "", CommandKit.R(o.Seconds), o.Folder,
                ScheduleCommand.Field(o.Error ?? o.StopReason ?? "")]).Append('\n');
        return sb.ToString();
    }

    void WritePlots(string dir, IReadOnlyList<CompareOutcome> outcomes)
    {
        Series S(CompareOutcome o, Func<EpochLogs, double?> f) =>
            new(o.Config.Name, o.History.Select(h => (double)(h.Epoch + 1)).ToArray(), o.History.Select(h => f(h) ?? double.NaN).ToArray());
        var ran = outcomes.Where(o => o.History.Count > 0).ToArray();
        LinePlot.Save(Path.Combine(dir, "val_accuracy"), $"Validation accuracy per epoch ({s.Suite})", "epoch", "validation accuracy", [.. ran.Select(o => S(o, h => h.ValAccuracy))],
            integerX: true, legendOutside: true);
        LinePlot.Save(Path.Combine(dir, "val_loss"), $"Validation loss per epoch ({s.Suite})", "epoch", "validation cross-entropy loss", [.. ran.Select(o => S(o, h => h.ValLoss))], integerX: true, legendOutside: true);
        LinePlot.Save(Path.Combine(dir, "loss"), $"Training loss per epoch ({s.Suite})", "epoch", "training cross-entropy loss", [.. ran.Select(o => S(o, h => h.Loss))], integerX: true, legendOutside: true);
    }
}
