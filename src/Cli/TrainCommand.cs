using NetNumerics.Cli.Commands;
using NetNumerics.Fast.Schedules;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Training.Checkpoints;
using NetNumerics.Training.Callbacks;
using NetNumerics.Schedules;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetNumerics.Optimizers;
using NetNumerics.Training;
using NetNumerics.Cli.Runs;
using NetNumerics.Cli.Signals;
using NetNumerics.Training.Distributed;

namespace NetNumerics.Cli;

/// <summary>A bad flag or input: reported as one line on stderr, exit code 2, nothing written.</summary>
sealed class UsageException(string message) : Exception(message);

/// <summary>
/// `numerics train`: trains the seed CNN on MNIST (fetched into ./data/mnist if missing) or any IDX folder
/// (--data), Keras-style (validation split 0.2, Adam 1e-3, batch 250, 25 epochs, seed 1), prints one line
/// per epoch, the test loss and accuracy, seconds per epoch and peak memory, and writes history.csv,
/// history.json, last.ckpt (every epoch) and best.ckpt (lowest val_loss) into a fresh output folder.
/// </summary>
static class TrainCommand
{
    static readonly string[] ResumableOverrides = ["--epochs", "--quiet", "--threads", "--early-stopping", "--no-terminate-on-nan"];

    public static Command Create(CliServices services, TextWriter output, TextWriter error, MpiRun? mpi = null)
    {
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train (with --resume: the new total).", DefaultValueFactory = _ => 25 };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 250 };
        var accumulate = new Option<int>("--accumulate")
        { Description = "Gradient accumulation: one update per K mini-batches, bit-identical to --batch-size K*b (b a multiple of 8).", DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--lr") { Description = "Learning rate (the schedule's base rate with --schedule).", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = OptimizerCatalog.Help, DefaultValueFactory = _ => "adam" };
        var model = Commands.CommandKit.ModelOption();
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate schedule, e.g. step:drop=0.5,every=10." };
        var perIteration = new Option<bool>("--schedule-per-iteration") { Description = "Advance the schedule every batch instead of every epoch." };
        var validationSplit = new Option<double>("--validation-split") { Description = "Fraction of the training set held out (the last samples).", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initial weights, shuffles and dropout.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads of the model.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var data = new Option<string?>("--data") { Description = "Folder of IDX files (default ./data/mnist, fetched if missing)." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only the first N training samples." };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use only the first N test samples." };
        var outDir = new Option<string?>("--out") { Description = "Output folder (must not exist or be empty; default: a fresh runs/run-<time>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this output folder (its last.ckpt)." };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "Stop when val_loss has not improved for this many epochs (restores the best weights)." };
        var quiet = new Option<bool>("--quiet") { Description = "Only the final summary." };
        var clipNorm = new Option<double?>("--clip-norm") { Description = "Scale all gradients together when their global L2 norm exceeds this (Keras global_clipnorm)." };
        var clipValue = new Option<double?>("--clip-value") { Description = "Clamp every gradient element to [-v, v] (Keras clipvalue)." };
        var ema = new Option<double?>("--ema")
        { Description = "Keep an exponential moving average of the weights with this momentum (Keras use_ema, e.g. 0.99) and validate and test with it." };
        var swa = new Option<int?>("--swa")
        { Description = "Stochastic weight averaging: average the weights at the end of every epoch from this one (1-based; torch swa_utils) and validate and test with the average." };
        var lookahead = new Option<string?>("--lookahead")
        {
            Description = "Lookahead (Zhang et al. 2019) over the optimizer: K, or k=K,alpha=A (e.g. 5 or k=5,alpha=0.8): every K updates the slow weights " +
                "move the fraction alpha (default 0.5) toward the fast ones, which restart there.",
        };
        var noDecayBiasNorm = new Option<bool>("--no-decay-bias-norm")
        { Description = "No weight decay on tensors of rank <= 1 (biases, normalisation), as Keras' exclude_from_weight_decay; the rest keep the optimizer's." };
        var noWinograd = new Option<bool>("--no-winograd")
        {
            Description = "Run the 3x3 convolutions by im2col + GEMM instead of Winograd F(2x2, 3x3) (the default since 2026-12-01): slower, " +
                "rounded as the direct sum, the bits of the last build without Winograd (9a016e7).",
        };
        var noTerminateOnNaN = new Option<bool>("--no-terminate-on-nan") { Description = "Keep training when a loss or gradient is NaN/infinite (default: stop before applying it, exit code 1)." };

        var cmd = new Command("train", "Train the seed CNN (Fast path) and report per-epoch metrics, test accuracy, time and memory.")
        {
            epochs, batchSize, accumulate, lr, optimizer, model, schedule, perIteration, validationSplit, seed, threads, data,
            trainLimit, testLimit, outDir, resume, earlyStopping, quiet, clipNorm, clipValue, ema, swa, lookahead, noDecayBiasNorm, noWinograd, noTerminateOnNaN,
        };
        cmd.SetAction(pr =>
        {
            try
            {
                var settings = new TrainSettings
                {
                    Epochs = pr.GetValue(epochs), BatchSize = pr.GetValue(batchSize), Accumulate = pr.GetValue(accumulate), LearningRate = pr.GetValue(lr),
                    Optimizer = pr.GetValue(optimizer)!, Model = Commands.CommandKit.ModelText(pr, model), Schedule = pr.GetValue(schedule),
                    PerIteration = pr.GetValue(perIteration), ValidationSplit = pr.GetValue(validationSplit),
                    Seed = pr.GetValue(seed), Threads = pr.GetValue(threads),
                    Data = pr.GetValue(data), TrainLimit = pr.GetValue(trainLimit), TestLimit = pr.GetValue(testLimit),
                    EarlyStopping = pr.GetValue(earlyStopping), ClipNorm = pr.GetValue(clipNorm), ClipValue = pr.GetValue(clipValue),
                    Ema = pr.GetValue(ema), Swa = pr.GetValue(swa), NoDecayBiasNorm = pr.GetValue(noDecayBiasNorm),
                    NoWinograd = pr.GetValue(noWinograd), TerminateOnNaN = !pr.GetValue(noTerminateOnNaN),
                };
                if (pr.GetValue(lookahead) is { } la)
                {
                    var (k, alpha) = Parsing.LookaheadText.Parse(la);
                    settings = settings with { Lookahead = k, LookaheadAlpha = alpha };
                }
                string? resumeDir = pr.GetValue(resume);
                if (resumeDir is not null)
                {
                    var explicitOthers = cmd.Options
                        .Where(o => o.Name != "--resume" && !ResumableOverrides.Contains(o.Name) && pr.GetResult(o) is { Implicit: false })
                        .Select(o => o.Name).ToArray();
                    if (explicitOthers.Length > 0)
                        throw new UsageException($"{explicitOthers[0]} cannot be combined with --resume: a resumed run keeps the settings saved in its checkpoint (only {string.Join(", ", ResumableOverrides)} may be given).");
                    if (pr.GetValue(outDir) is not null) throw new UsageException("--out cannot be combined with --resume: the run continues in the --resume folder.");
                }
                if (mpi is not null && pr.GetResult(threads) is not { Implicit: false }) settings = settings with { Threads = mpi.DefaultThreads() };
                return new TrainRun(services, output, error, pr.GetValue(quiet), mpi).Execute(settings, pr.GetValue(outDir), resumeDir,
                    epochsExplicit: pr.GetResult(epochs) is { Implicit: false });
            }
            catch (UsageException e)
            {
                error.WriteLine($"numerics train: {e.Message}");
                return 2;
            }
            catch (MpiException e)
            {
                error.WriteLine($"numerics train: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}

/// <summary>The settings of a training run; stored in every checkpoint's metadata so --resume can rebuild the run.</summary>
sealed record TrainSettings
{
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    /// <summary>Mini-batches per update (gradient accumulation); 1 = none.</summary>
    public int Accumulate { get; init; } = 1;
    public double LearningRate { get; init; }
    /// <summary>The --optimizer text; once the run is validated, its printed form (every option that differs from the defaults).</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>The --model text; once the data is loaded, the printed network (the seed CNN when none was given), or null for a factory-made model.</summary>
    public string? Model { get; init; }
    public string? Schedule { get; init; }
    public bool PerIteration { get; init; }
    public double ValidationSplit { get; init; }
    public ulong Seed { get; init; }
    public int Threads { get; init; }
    public string? Data { get; init; }
    public int? TrainLimit { get; init; }
    public int? TestLimit { get; init; }
    public int? EarlyStopping { get; init; }
    public double? ClipNorm { get; init; }
    public double? ClipValue { get; init; }
    /// <summary>EMA momentum of the averaged weights (--ema), or null.</summary>
    public double? Ema { get; init; }
    /// <summary>First epoch (1-based) whose final weights SWA averages (--swa), or null.</summary>
    public int? Swa { get; init; }
    /// <summary>Lookahead's k (--lookahead), or null.</summary>
    public int? Lookahead { get; init; }
    /// <summary>Lookahead's alpha (--lookahead ...,alpha=A); saved only when it is not the default 0.5, so older checkpoints read unchanged.</summary>
    public double LookaheadAlpha { get; init; } = Parsing.LookaheadText.DefaultAlpha;
    /// <summary>Weight decay 0 on rank &lt;= 1 tensors (--no-decay-bias-norm).</summary>
    public bool NoDecayBiasNorm { get; init; }
    /// <summary>3x3 convolutions by im2col + GEMM instead of Winograd (--no-winograd); saved only when set, so older
    /// checkpoints read as Winograd runs.</summary>
    public bool NoWinograd { get; init; }
    /// <summary>Not saved in checkpoints: a resumed run may switch it.</summary>
    public bool TerminateOnNaN { get; init; } = true;

    public ClippingOptions Clipping => new()
    {
        GlobalClipNorm = ClipNorm ?? double.PositiveInfinity, ClipValue = ClipValue ?? double.PositiveInfinity,
    };

    static string S(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public Dictionary<string, string> ToMetadata()
    {
        var m = new Dictionary<string, string>
        {
            ["epochs"] = Epochs.ToString(CultureInfo.InvariantCulture), ["batch_size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = S(LearningRate), ["optimizer"] = Optimizer, ["per_iteration"] = PerIteration ? "1" : "0",
            ["validation_split"] = S(ValidationSplit), ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (Schedule is not null) m["schedule"] = Schedule;
        if (Accumulate != 1) m["accumulate"] = Accumulate.ToString(CultureInfo.InvariantCulture);
        if (Model is not null) m["model"] = Model;
        if (Data is not null) m["data"] = Path.GetFullPath(Data);
        if (TrainLimit is { } tl) m["train_limit"] = tl.ToString(CultureInfo.InvariantCulture);
        if (TestLimit is { } ts) m["test_limit"] = ts.ToString(CultureInfo.InvariantCulture);
        if (EarlyStopping is { } es) m["early_stopping"] = es.ToString(CultureInfo.InvariantCulture);
        if (ClipNorm is { } cn) m["clip_norm"] = S(cn);
        if (ClipValue is { } cv) m["clip_value"] = S(cv);
        if (Ema is { } e) m["ema"] = S(e);
        if (Swa is { } w) m["swa"] = w.ToString(CultureInfo.InvariantCulture);
        if (NoDecayBiasNorm) m["no_decay_bias_norm"] = "1";
        if (NoWinograd) m["no_winograd"] = "1";
        if (Lookahead is { } la) m["lookahead"] = la.ToString(CultureInfo.InvariantCulture);
        if (Lookahead is not null && LookaheadAlpha != Parsing.LookaheadText.DefaultAlpha) m["lookahead_alpha"] = S(LookaheadAlpha);
        return m;
    }

    public static TrainSettings FromMetadata(IReadOnlyDictionary<string, string> m, string source)
    {
        // Every setting is read as strictly as the flag it came from: a checksum proves the bytes, not that they make sense.
        string Get(string k) => m.TryGetValue(k, out var v) ? v : throw new UsageException($"{source} has no '{k}' setting; it was not written by `numerics train`.");
        UsageException Bad(string k, string v, string allowed) =>
            new($"{source} has setting {k} = '{Commands.CommandKit.Shorten(v)}', not {allowed}; it was not written by `numerics train` (or was edited).");
        int Int(string k, string v, int min) => Parsing.StrictNumber.ParseInteger(v, min, int.MaxValue) is { } x ? (int)x : throw Bad(k, v, $"an integer in [{min}, {int.MaxValue}]");
        double Double(string k, string v) => Parsing.StrictNumber.ParseDouble(v) ?? throw Bad(k, v, "a finite number");
        int? OptInt(string k, int min) => m.TryGetValue(k, out var v) ? Int(k, v, min) : null;
        double? OptDouble(string k) => m.TryGetValue(k, out var v) ? Double(k, v) : null;
        string perIteration = Get("per_iteration");
        if (perIteration is not ("0" or "1")) throw Bad("per_iteration", perIteration, "0 or 1");
        return new TrainSettings
        {
            Epochs = Int("epochs", Get("epochs"), 1), BatchSize = Int("batch_size", Get("batch_size"), 1),
            LearningRate = Double("lr", Get("lr")), Optimizer = Get("optimizer"),
            Schedule = m.GetValueOrDefault("schedule"), Model = m.GetValueOrDefault("model"), PerIteration = perIteration == "1",
            ValidationSplit = Double("validation_split", Get("validation_split")),
            Seed = Parsing.StrictNumber.ParseUnsigned(Get("seed")) ?? throw Bad("seed", Get("seed"), "an integer in [0, 2^64)"),
            Data = m.GetValueOrDefault("data"),
            Accumulate = OptInt("accumulate", 1) ?? 1, TrainLimit = OptInt("train_limit", 1), TestLimit = OptInt("test_limit", 1), EarlyStopping = OptInt("early_stopping", 0),
            ClipNorm = OptDouble("clip_norm"), ClipValue = OptDouble("clip_value"),
            Ema = OptDouble("ema"), Swa = OptInt("swa", 1), Lookahead = OptInt("lookahead", 1),
            LookaheadAlpha = OptDouble("lookahead_alpha") ?? Parsing.LookaheadText.DefaultAlpha,
            NoDecayBiasNorm = m.TryGetValue("no_decay_bias_norm", out var nd) ? nd == "1" ? true : throw Bad("no_decay_bias_norm", nd, "1") : false,
            NoWinograd = m.TryGetValue("no_winograd", out var nw) ? nw == "1" ? true : throw Bad("no_winograd", nw, "1") : false,
        };
    }

    /// <summary>Throws a UsageException naming the first bad flag.</summary>
    public void Validate(CliServices services)
    {
        static string S2(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (Epochs < 1) throw new UsageException($"--epochs must be >= 1, but was {Epochs}.");
        if (BatchSize < 1) throw new UsageException($"--batch-size must be >= 1, but was {BatchSize}.");
        if (Accumulate < 1) throw new UsageException($"--accumulate must be >= 1, but was {Accumulate}.");
        // Without accumulation a batch larger than the data is the whole data (clamped later); an accumulated batch sizes the model's buffers.
        if (Accumulate > 1 && (long)Accumulate * BatchSize > 1 << 20)
            throw new UsageException($"--accumulate {Accumulate} with --batch-size {BatchSize}: the accumulated batch (their product) must be at most {1 << 20}.");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) throw new UsageException($"--lr must be a finite number > 0, but was {S2(LearningRate)}.");
        OptimizerCatalog.Parse(Optimizer, "--optimizer");
        if (!double.IsFinite(ValidationSplit) || ValidationSplit < 0 || ValidationSplit >= 1)
            throw new UsageException($"--validation-split must be in [0, 1), but was {S2(ValidationSplit)}.");
        if (Threads < 1) throw new UsageException($"--threads must be >= 1, but was {Threads}.");
        if (TrainLimit is < 1) throw new UsageException($"--train-limit must be >= 1, but was {TrainLimit}.");
        if (TestLimit is < 1) throw new UsageException($"--test-limit must be >= 1, but was {TestLimit}.");
        if (EarlyStopping is < 0) throw new UsageException($"--early-stopping must be >= 0, but was {EarlyStopping}.");
        if (ClipNorm is { } cn && !(double.IsFinite(cn) && cn > 0)) throw new UsageException($"--clip-norm must be a finite number > 0, but was {S2(cn)}.");
        if (ClipValue is { } cv && !(double.IsFinite(cv) && cv > 0)) throw new UsageException($"--clip-value must be a finite number > 0, but was {S2(cv)}.");
        if (PerIteration && Schedule is null) throw new UsageException("--schedule-per-iteration needs --schedule.");
        if (Ema is { } e && !(e >= 0 && e < 1)) throw new UsageException($"--ema must be a momentum in [0, 1), e.g. 0.99, but was {S2(e)}.");
        if (Lookahead is < 1) throw new UsageException($"--lookahead must be >= 1 (updates between synchronisations; the paper uses 5), but was {Lookahead}.");
        if (!(LookaheadAlpha >= 0 && LookaheadAlpha <= 1)) throw new UsageException($"--lookahead alpha must be in [0, 1], but was {S2(LookaheadAlpha)}.");
        if (Swa is < 1) throw new UsageException($"--swa must be an epoch >= 1 (the first whose weights are averaged), but was {Swa}.");
        if (Ema is not null && Swa is not null) throw new UsageException("--ema and --swa cannot be combined: give one average to evaluate with.");
        if (Swa is { } start && start > Epochs) throw new UsageException($"--swa {start} is after the last epoch ({Epochs}): nothing would be averaged.");
    }
}

/// <summary>One execution of `train`: validate everything, then create the output folder, then train.</summary>
sealed class TrainRun(CliServices services, TextWriter output, TextWriter error, bool quiet, MpiRun? mpi = null)
{
    /// <summary>The optimizer's options wrapped in the weight average --ema or --swa asks for (SWA: at the last update of every epoch from --swa on).</summary>
    static IOptimizerOptions Averaged(IOptimizerOptions options, TrainSettings settings, int batchesPerEpoch)
    {
        if (settings.Lookahead is { } k)
        {
            if (options is ScheduleFreeOptions) throw new UsageException($"--lookahead with {options.Name}: Schedule-Free keeps its own interpolation; use a plain optimizer.");
            options = new LookaheadOptions { Base = options, K = k, Alpha = settings.LookaheadAlpha };
        }
        if (settings.Ema is null && settings.Swa is null) return options;
        if (options is ScheduleFreeOptions)
            throw new UsageException($"--{(settings.Ema is null ? "swa" : "ema")} with {options.Name}: Schedule-Free already evaluates at an average of its own (x).");
        return settings.Ema is { } m
            ? new AveragingOptions { Base = options, Mode = WeightAveraging.Ema, Momentum = m }
            : new AveragingOptions { Base = options, Mode = WeightAveraging.Swa, SwaStart = (long)settings.Swa!.Value * batchesPerEpoch, SwaEvery = batchesPerEpoch };
    }

    /// <summary>
    /// The parameter groups: Muon's AdamW fallback first (tensors of rank other than 2 and 4, wrapped as the default optimizer
    /// is by --lookahead/--ema/--swa, weight decay 0 with --no-decay-bias-norm), then --no-decay-bias-norm's group.
    /// </summary>
    static List<ParameterGroup> Groups(IOptimizerOptions options, TrainSettings settings, int batchesPerEpoch)
    {
        var groups = new List<ParameterGroup>();
        if (options is MuonOptions muon)
            groups.Add(MuonGrouping.Fallback(muon, Averaged(muon.Fallback, settings, batchesPerEpoch)) with { WeightDecay = settings.NoDecayBiasNorm ? 0 : null });
        if (settings.NoDecayBiasNorm) groups.Add(ParameterGroup.NoDecayOnBiasAndNorm);
        return groups;
    }

    /// <summary>The wrappers of the run summary line: " lookahead k=5,alpha=0.5", " ema 0.99", " swa from epoch 3".</summary>
    static string Wrappers(TrainSettings s) =>
        (s.Lookahead is { } k ? " lookahead " + Parsing.LookaheadText.Print(k, s.LookaheadAlpha) : "") +
        (s.Ema is { } m ? " ema " + m.ToString("R", CultureInfo.InvariantCulture) : "") +
        (s.Swa is { } w ? " swa from epoch " + w.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>Rank 0 of an MPI job, or an ordinary run: the process that writes the output folder.</summary>
    bool Writes => mpi is null || mpi.IsRoot;

    public int Execute(TrainSettings settings, string? outDir, string? resumeDir, bool epochsExplicit)
    {
        // 1. Everything that can be wrong with the flags is checked before anything is written.
        TrainingCheckpoint? checkpoint = null;
        if (outDir is not null) RunFolder.CheckNewOut(outDir, output);
        if (resumeDir is not null)
        {
            string last = Path.Combine(resumeDir, "last.ckpt");
            checkpoint = RunFolder.ReadResume(resumeDir, output);
            var saved = TrainSettings.FromMetadata(checkpoint.Metadata, last);
            RunPreflight.CheckResumable(checkpoint, saved, epochsExplicit ? settings.Epochs : null, resumeDir);
            settings = saved with
            {
                Epochs = epochsExplicit ? settings.Epochs : saved.Epochs,
                Threads = settings.Threads,
                TerminateOnNaN = settings.TerminateOnNaN,
                EarlyStopping = settings.EarlyStopping ?? saved.EarlyStopping,
            };
        }
        settings.Validate(services);
        if (mpi is not null) MpiRun.CheckRanks(mpi.Launch, settings.BatchSize, settings.Accumulate);   // every rank fails alike; rank 0 says so
        var optimizerSpec = OptimizerCatalog.Parse(settings.Optimizer, "--optimizer");
        settings = settings with { Optimizer = optimizerSpec.ToString() };   // printed back, saved and resumed in this form
        // The schedule the run sees is the Fast twin of the parsed Reference record (0 ULP for closed forms).
        ISchedule? schedule = settings.Schedule is null ? null
            : FastSchedule.From(CommandKit.ParseSchedule(services, settings.Schedule, settings.LearningRate, "--schedule"));
        string target = outDir ?? resumeDir ?? FreshRunFolder();

        var (train, test) = mpi is null ? LoadData(settings) : mpi.RootFirst(() => LoadData(settings));
        int nTrain = RunPreflight.CheckSamples(train, test, settings.ValidationSplit, settings.TrainLimit, settings.Data ?? services.DefaultDataFolder);
        long updateBatch = (long)settings.BatchSize * settings.Accumulate;   // one schedule step per update of k micro-batches
        int batches = (int)((nTrain + updateBatch - 1) / updateBatch);
        var network = Commands.RunSetup.Model(settings.Model, train);   // shapes checked before anything is written
        if (network is not null) settings = settings with { Model = NetworkText.Print(network) };
        // A batch larger than the training set is the whole set: the model's workspaces need no more (RunSetup clamps).
        IModel model = Commands.RunSetup.CreateModel(services, train, network, settings.Seed, settings.Threads, settings.BatchSize * settings.Accumulate, mpi?.Ranks,
            winograd: !settings.NoWinograd);
        if (mpi is not null) MpiChecks(model);
        IOptimizer optimizer;
        try { optimizer = services.CreateOptimizer(Averaged(optimizerSpec.Options, settings, batches)); }
        catch (ArgumentException e) { throw new UsageException(Commands.CommandKit.Reason(e)); }
        (schedule, var granularity) = Commands.RunSetup.LearningRate(optimizerSpec, schedule, settings.PerIteration, settings.LearningRate,
            Commands.RunSetup.BatchesPerEpoch(train.Count, settings.ValidationSplit, settings.BatchSize * settings.Accumulate));
        if (schedule is not null)
            RunPreflight.CheckSchedule(schedule, settings.Schedule ?? schedule.ToString() ?? "the optimizer's decay", granularity == ScheduleGranularity.PerIteration, settings.Epochs, batches);
        if (settings.Accumulate > 1)
        {
            if (model is not IAccumulatingModel acc)
                throw new UsageException($"--accumulate {settings.Accumulate}: {model.GetType().Name} cannot accumulate gradients.");
            if (settings.BatchSize % acc.AccumulationQuantum != 0)
                throw new UsageException(
                    $"--accumulate {settings.Accumulate} needs --batch-size a multiple of {acc.AccumulationQuantum} (the model's chunk) to give the bits of batches of " +
                    $"{settings.BatchSize * settings.Accumulate}, but was {settings.BatchSize}; try {Math.Max(acc.AccumulationQuantum, settings.BatchSize / acc.AccumulationQuantum * acc.AccumulationQuantum)}.");
        }

        var options = new TrainingOptions
        {
            Epochs = settings.Epochs, BatchSize = settings.BatchSize, AccumulationSteps = settings.Accumulate, ValidationSplit = settings.ValidationSplit, Seed = settings.Seed,
            LearningRate = settings.LearningRate,
            ScheduleGranularity = granularity,
            Clipping = settings.Clipping,
        };
        var trainer = new Trainer(model, optimizer, options, schedule, FastClipping.Instance)
        {
            Ranks = mpi?.Ranks,
            Grouping = Groups(optimizerSpec.Options, settings, batches) is { Count: > 0 } groups ? new ParameterGrouping(groups, services.CreateOptimizer) : null,
        };
        // The data folder actually used (the default one too, as an absolute path), so --resume finds it from anywhere.
        foreach (var (k, v) in (settings with { Data = settings.Data ?? services.DefaultDataFolder }).ToMetadata()) trainer.Metadata[k] = v;
        if (checkpoint is not null)
        {
            try { checkpoint.CheckMatches(model); }
            catch (ArgumentException e) { throw new UsageException($"--resume: {Commands.CommandKit.Reason(e)}"); }
        }

        // 2. Now the output folder. A signal from here on saves the run (ShutdownGuard); a failed write is one line.
        using var guard = new ShutdownGuard(output, error, "train");
        try { return Train(settings, target, train, test, model, Commands.RunSetup.Describe(network, model), trainer, options, checkpoint, guard); }
        catch (IOException e) { return WriteFailed(e, target); }
        catch (UnauthorizedAccessException e) { return WriteFailed(e, target); }
    }

    /// <summary>What an MPI run needs beyond an ordinary one: a model that splits its batches over the ranks.</summary>
    static void MpiChecks(IModel model)
    {
        if (model is not Fast.Nn.FastModel { Options.Ranks: not null })
            throw new UsageException($"under MPI the model must split its batches over the ranks (the Fast CNN does), but {model.GetType().Name} does not; run it as one process.");
    }

    /// <summary>A write that failed (disk full, read-only, permission denied): one line naming the file and why, and what is left.</summary>
    int WriteFailed(Exception e, string target)
    {
        string lastGood = Path.Combine(target, "last.ckpt");
        string kept;
        try { kept = File.Exists(lastGood) ? $"the last good checkpoint is {lastGood} (after epoch {CheckpointFile.Read(lastGood).Epoch}); resume with --resume {target} once the problem is fixed." : "no checkpoint was written."; }
        catch (IOException) { kept = "no readable checkpoint is left."; }
        string what = e is UnauthorizedAccessException ? $"cannot write in {target}: permission denied." : Commands.CommandKit.Reason(e);
        error.WriteLine($"numerics train: {what} Training stopped; {kept}");
        return 1;
    }

    int Train(TrainSettings settings, string target, Dataset train, Dataset test, IModel model, string modelName, Trainer trainer, TrainingOptions options,
        TrainingCheckpoint? checkpoint, ShutdownGuard guard)
    {
        if (guard.Token.IsCancellationRequested)
        {
            error.WriteLine($"numerics train: interrupted by {ShutdownGuard.Name(guard.Signal!.Value)} before training started; nothing was written.");
            return guard.ExitCode;
        }
        if (Writes) RunFolder.Create(target);
        var timing = new TimingLog(target, checkpoint?.Epoch ?? 0);
        var callbacks = new List<Callback>();
        if (settings.TerminateOnNaN) callbacks.Add(new TerminateOnNaN());
        if (settings.EarlyStopping is { } patience)
            callbacks.Add(new EarlyStopping(new() { Patience = patience, RestoreBestWeights = true, Monitor = settings.ValidationSplit > 0 ? "val_loss" : "loss" }));
        if (Writes)   // the other ranks of an MPI job hold the same bits and write nothing
        {
            callbacks.Add(new CsvLogger(Path.Combine(target, "history.csv"), includeSeconds: false));   // seconds: timing.csv
            callbacks.Add(timing);
            callbacks.Add(new ExplodingLossWarning(error, train.Classes, settings.LearningRate));
            callbacks.Add(new ModelCheckpoint(Path.Combine(target, "last.ckpt")));
            callbacks.Add(new ModelCheckpoint(Path.Combine(target, "best.ckpt"),
                new() { SaveBestOnly = true, Monitor = settings.ValidationSplit > 0 ? "val_loss" : "loss" }));
        }
        if (!quiet && Writes) callbacks.Add(new ProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected));
        if (!quiet && mpi is not null) output.WriteLine(mpi.Describe(settings.Threads));

        if (!quiet)
            output.WriteLine($"{(checkpoint is null ? "Training" : $"Resuming (from epoch {checkpoint.Epoch + 1}{(checkpoint.Batch > 0 ? $", batch {checkpoint.Batch + 1}" : "")})")} {modelName} on {train.Count} samples " +
                $"({HeldOut(train.Count, options.ValidationSplit)} held out for validation), {settings.Optimizer}{Wrappers(settings)} lr {settings.LearningRate.ToString("G", CultureInfo.InvariantCulture)}" +
                $"{(settings.Schedule is null ? "" : $" schedule {settings.Schedule}")}, batch {settings.BatchSize}{(settings.Accumulate > 1 ? $" x {settings.Accumulate} accumulated" : "")}, {settings.Epochs} epochs, seed {settings.Seed}; output in {target}");
        TrainingResult result;
        mpi?.StartTraining();
        long stepsBefore = checkpoint?.Iteration ?? 0;
        try { result = trainer.Fit(train, test, callbacks, checkpoint, guard.Token); }
        catch (ArgumentException e) when (checkpoint is not null) { throw new UsageException($"--resume: {Commands.CommandKit.Reason(e)}"); }
        catch (InvalidOperationException e)   // e.g. a schedule value that leaves [0, finite] past the checked steps
        {
            error.WriteLine($"numerics train: stopped: {Commands.CommandKit.Reason(e)} {Kept(target)}");
            return 1;
        }

        if (result.Interrupted is { } at)
        {
            string last = Path.Combine(target, "last.ckpt");
            if (Writes) CheckpointFile.Write(last, at);
            string where = at.Batch == 0 ? $"after epoch {at.Epoch}" : $"at epoch {at.Epoch + 1}, batch {at.Batch}/{(at.TrainCount + at.BatchSize - 1) / at.BatchSize}";
            error.WriteLine($"numerics train: interrupted by {ShutdownGuard.Name(guard.Signal!.Value)} {where} (step {at.Iteration}); saved {last}; continue with: numerics train --resume {target}");
            return guard.ExitCode;
        }
        if (!Writes) return ExitCode(result, guard);   // rank 0 reports and writes for the job
        AtomicFile.WriteText(Path.Combine(target, "history.json"), HistoryJson(result, settings));
        Plots.TrainingCurves.Write(target, result.History, settings.Optimizer);   // loss, accuracy, learning_rate .png/.svg
        var t = result.Test!.Value;
        double secondsPerEpoch = timing.ThisRun.Count == 0 ? 0 : timing.ThisRun.Average();
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        bool diverged = result.StopReason is not null && (result.StopReason.StartsWith("TerminateOnNaN", StringComparison.Ordinal)
            || result.StopReason.StartsWith(Trainer.NonFiniteWeightsReason, StringComparison.Ordinal));
        if (result.StopReason is not null && !diverged) output.WriteLine(result.StopReason);
        if (mpi is not null && !quiet) output.WriteLine(mpi.Traffic(result.Iterations - stepsBefore));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test_loss: {t.MeanLoss:F4} - test_accuracy: {t.Accuracy:F4} ({t.Correct}/{t.Count}) - {secondsPerEpoch:F2} s/epoch - peak memory {peak / (1024.0 * 1024.0):F0} MiB"));
        if (diverged)
        {
            // Divergence is a failure of the run: one line on stderr naming where it happened and what is left.
            error.WriteLine($"numerics train: diverged: {result.StopReason} {Kept(target)}");
            return 1;
        }
        if (guard.Signal is { } signal)
        {
            error.WriteLine($"numerics train: {ShutdownGuard.Name(signal)} came after the last epoch; the run finished and every file is written.");
            return guard.ExitCode;
        }
        return 0;
    }

    /// <summary>The exit code rank 0 returns for the same result, for the silent ranks of an MPI job.</summary>
    static int ExitCode(TrainingResult result, ShutdownGuard guard)
    {
        bool diverged = result.StopReason is not null && (result.StopReason.StartsWith("TerminateOnNaN", StringComparison.Ordinal)
            || result.StopReason.StartsWith(Trainer.NonFiniteWeightsReason, StringComparison.Ordinal));
        return diverged ? 1 : guard.Signal is not null ? guard.ExitCode : 0;
    }

    static string Kept(string target)
    {
        string lastGood = Path.Combine(target, "last.ckpt");
        return File.Exists(lastGood)
            ? $"Training stopped; the last good checkpoint is {lastGood} (after epoch {CheckpointFile.Read(lastGood).Epoch}); it was not overwritten."
            : "Training stopped; no epoch completed, so no checkpoint was written.";
    }

    /// <summary>How many samples the split holds out (the trainer's n - floor(n * (1 - split))), as a count, not a rounded fraction.</summary>
    static string HeldOut(int n, double split)
    {
        int held = n - (int)Math.Floor(n * (1.0 - split));
        return held.ToString(CultureInfo.InvariantCulture);
    }

    static string FreshRunFolder()
    {
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string baseName = Path.Combine("runs", "run-" + stamp);
        string name = baseName;
        for (int i = 2; Directory.Exists(name) || File.Exists(name); i++) name = $"{baseName}-{i}";
        return name;
    }

    // --data DIR (IDX or CIFAR-10) or the default folder, fetched when missing; shared with compare and lr-find.
    (Dataset Train, Dataset Test) LoadData(TrainSettings s)
    {
        var tt = Commands.DataSource.Load(services, output, s.Data, s.TrainLimit ?? 0, s.TestLimit ?? 0);   // limits apply while reading
        return (tt.Train, tt.Test);
    }

    static string HistoryJson(TrainingResult r, TrainSettings s)
    {
        var doc = new
        {
            optimizer = s.Optimizer, model = s.Model, lr = s.LearningRate, schedule = s.Schedule, per_iteration = s.PerIteration,
            epochs = r.History.Select(h => new
            {
                epoch = h.Epoch, loss = h.Loss, accuracy = h.Accuracy, val_loss = h.ValLoss, val_accuracy = h.ValAccuracy,
                learning_rate = h.LearningRate,   // no seconds: timing.csv has them, so identical runs write identical bytes
            }),
            test_loss = r.Test?.MeanLoss, test_accuracy = r.Test?.Accuracy, stop_reason = r.StopReason, iterations = r.Iterations,
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }
}
