using System.Globalization;
using NetNumerics.Optimizers;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// One configuration of a comparison: a name, an optimizer (the --optimizer text form), a base learning rate, an
/// optional schedule, and the seed (null = the command's --seed). <see cref="Group"/> names the configuration a
/// seed replicate belongs to (--seeds): the mean and standard deviation are taken over a group.
/// </summary>
public sealed record RunConfig(string Name, string Optimizer, double LearningRate, string? Schedule = null, bool PerIteration = false)
{
    /// <summary>The seed of this configuration, or null for the command's --seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The configuration this one replicates with another seed; its own name when it is not a replicate.</summary>
    public string Group { get => field ?? Name; init; }

    public string Describe() => $"{Optimizer} lr {CommandKit.Lr(LearningRate)}" +
        (Schedule is null ? "" : $" schedule {Schedule}{(PerIteration ? " per iteration" : " per epoch")}") +
        (Seed is { } s ? $" seed {s}" : "");
}

/// <summary>What a suite may need from the data: iterations per epoch and the range test's suggested bounds (computed on demand).</summary>
public sealed record SuiteData(Func<int> BatchesPerEpoch, Func<(double Base, double Max)> RangeTestBounds);

/// <summary>
/// The built-in suites of `numerics compare` (the articles' experiments) and the configuration-file format.
/// <list type="bullet">
/// <item>fixed-lr: Adam (Keras form) at 0.5, 0.01, 1e-3, 1e-5, 1e-7, constant (the MNIST article's table; with
/// <c>--seeds 3</c> the mean and standard deviation over three seeds).</item>
/// <item>schedules: SGD with Keras-form momentum 0.9 from lr 0.1: constant; time-based lr0/(1+k t) per iteration with
/// k = lr0/epochs; step decay 0.5 every 10 epochs in the <c>floor((1+epoch)/10)</c> form; exponential lr0 e^(-0.1 epoch);
/// linear from lr0 to 0 over the run's epochs.</item>
/// <item>adaptive: Adagrad, Adadelta, RMSprop, Adam, AdaMax, Nadam at their Keras 3 default rates and hyperparameters.</item>
/// <item>cifar10-article: the CIFAR-10 article's eight settings as it printed them (see <see cref="Cifar10Article"/>).</item>
/// <item>clr: cyclical learning rates (Smith 2017) between the bounds the range test suggests, as the MNIST article recommends.</item>
/// <item>all: fixed-lr, schedules and adaptive, names prefixed by the suite.</item>
/// </list>
/// </summary>
public static class CompareSuites
{
    public static IReadOnlyList<string> Names { get; } = ["fixed-lr", "schedules", "adaptive", "cifar10-article", "clr", "all"];

    /// <summary>The suite's configurations; null for an unknown name. <paramref name="data"/> is needed by clr only.</summary>
    public static IReadOnlyList<RunConfig>? Get(string suite, int epochs, SuiteData? data = null) => suite switch
    {
        "fixed-lr" => FixedLr(),
        "schedules" => Schedules(epochs),
        "adaptive" => Adaptive(),
        "cifar10-article" => Cifar10Article(epochs),
        "clr" => Clr(epochs, data ?? throw new InvalidOperationException("the clr suite needs the data (iterations per epoch and the range test).")),
        "all" => [.. FixedLr().Select(c => c with { Name = "fixed-lr/" + c.Name }),
                  .. Schedules(epochs).Select(c => c with { Name = "schedules/" + c.Name }),
                  .. Adaptive().Select(c => c with { Name = "adaptive/" + c.Name })],
        _ => null,
    };

    /// <summary>Each configuration <paramref name="seeds"/> times with seeds <paramref name="firstSeed"/>, +1, ...; names end in " seed=S".</summary>
    public static IReadOnlyList<RunConfig> WithSeeds(IReadOnlyList<RunConfig> configs, int seeds, ulong firstSeed)
    {
        if (seeds <= 1) return configs;
        return [.. configs.SelectMany(c => Enumerable.Range(0, seeds).Select(i => c with
        {
            Name = $"{c.Name} seed={firstSeed + (ulong)i}", Seed = c.Seed ?? firstSeed + (ulong)i, Group = c.Name,
        }))];
    }

    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    static RunConfig[] FixedLr() =>
        [.. new[] { 0.5, 0.01, 1e-3, 1e-5, 1e-7 }.Select(lr => new RunConfig($"adam lr={CommandKit.Lr(lr)}", "adam", lr))];

    static RunConfig[] Schedules(int epochs)
    {
        const double lr0 = 0.1;
        string k = R(lr0 / epochs);
        return
        [
            new("constant", "sgd:momentum=0.9", lr0),
            new("time-based", "sgd:momentum=0.9", lr0, $"time:lr=0.1,k={k}", PerIteration: true),
            new("step", "sgd:momentum=0.9", lr0, "step:lr=0.1,drop=0.5,every=10,form=epoch+1"),
            new("exponential", "sgd:momentum=0.9", lr0, "natexp:lr=0.1,k=0.1"),
            new("linear", "sgd:momentum=0.9", lr0, $"linear:lr=0.1,steps={epochs},end=0"),
        ];
    }

    static RunConfig[] Adaptive() =>
    [
        new("adagrad", "adagrad", AdagradOptions.KerasDefaultLearningRate),
        new("adadelta", "adadelta", AdadeltaOptions.KerasDefaultLearningRate),
        new("rmsprop", "rmsprop", RmspropOptions.KerasDefaultLearningRate),
        new("adam", "adam", AdamOptions.KerasDefaultLearningRate),
        new("adamax", "adamax", AdamaxOptions.KerasDefaultLearningRate),
        new("nadam", "nadam", NadamOptions.KerasDefaultLearningRate),
    ];

    /// <summary>
    /// The CIFAR-10 article (Suki Lau, "Learning Rate Schedules and Adaptive Learning Rate Methods for Deep Learning", 2017), in
    /// Keras 2.0.8: constant <c>SGD(lr=0.1, momentum=0.0, decay=0.0)</c>; time-based <c>SGD(lr=0.1, momentum=0.8,
    /// decay=lr/epochs)</c>; step decay 0.1 * 0.5^floor((1+epoch)/10) and exponential 0.1 * e^(-0.1 epoch) through
    /// LearningRateScheduler on <c>SGD(lr=0.0, momentum=m)</c>, where the article prints no m: its notebook
    /// (sukilau/Ziff-deep-learning, 3-CIFAR10-lrate) uses 0.5 for step decay and 0.8 for exponential; and
    /// <c>Adagrad(lr=0.01, epsilon=1e-08)</c>, <c>Adadelta(lr=1.0, rho=0.95, epsilon=1e-08)</c>,
    /// <c>RMSprop(lr=0.001, rho=0.9, epsilon=1e-08)</c>, <c>Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-08)</c>,
    /// i.e. the keras2 presets (accumulators from 0, epsilon outside the square root in Adagrad and RMSprop).
    /// </summary>
    static RunConfig[] Cifar10Article(int epochs) =>
    [
        new("sgd constant", "sgd", 0.1),
        new("sgd time-based", $"sgd:momentum=0.8,decay={R(0.1 / epochs)}", 0.1),
        new("sgd step", "sgd:momentum=0.5", 0.1, "step:lr=0.1,drop=0.5,every=10,form=epoch+1"),
        new("sgd exponential", "sgd:momentum=0.8", 0.1, "natexp:lr=0.1,k=0.1"),
        new("adagrad", "adagrad:preset=keras2", 0.01),
        new("adadelta", "adadelta:preset=keras2", 1.0),
        new("rmsprop", "rmsprop:preset=keras2", 1e-3),
        new("adam", "adam:preset=keras2", 1e-3),
    ];

    /// <summary>
    /// Cyclical learning rates with Adam between the range test's suggested bounds (the lr-find defaults: 100 batches from
    /// 1e-7 to 10, on the same data and seed), each rounded to 3 significant digits; half-cycle = 4 epochs of iterations
    /// (Smith: 2-10x an epoch, lr-find's suggestion); exp_range decays the amplitude to a quarter over the run. Plus the
    /// fixed Adam 1e-3 baseline.
    /// </summary>
    static RunConfig[] Clr(int epochs, SuiteData data)
    {
        var (lo, hi) = data.RangeTestBounds();
        string b = Round3(lo), m = Round3(hi);
        int batches = data.BatchesPerEpoch();
        long step = 4L * batches;
        string gamma = Math.Pow(0.25, 1.0 / ((long)epochs * batches)).ToString("G6", CultureInfo.InvariantCulture);
        string clr = $"clr:lr={b},max={m},stepsize={step.ToString(CultureInfo.InvariantCulture)}";
        double baseLr = double.Parse(b, CultureInfo.InvariantCulture);
        return
        [
            new("clr triangular", "adam", baseLr, clr + ",mode=triangular", PerIteration: true),
            new("clr triangular2", "adam", baseLr, clr + ",mode=triangular2", PerIteration: true),
            new("clr exp_range", "adam", baseLr, clr + $",mode=exp_range,gamma={gamma}", PerIteration: true),
            new("adam lr=1e-3", "adam", 1e-3),
        ];
    }

    /// <summary>3 significant digits, as lr-find prints its suggestions.</summary>
    public static string Round3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>
    /// A configuration file: one configuration per line, <c>name; --optimizer X --lr Y [--schedule Z] [--schedule-per-iteration]</c>
    /// (flags in any order; X is the --optimizer text form, e.g. <c>adam:beta2=0.99</c>, default adam; --lr defaults to 0.001);
    /// blank lines and lines starting with '#' are skipped. A malformed line is a FormatException "FILE line N: what is wrong".
    /// </summary>
    public static IReadOnlyList<RunConfig> ParseFile(string path)
    {
        var lines = File.ReadAllLines(path);
        var configs = new List<RunConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            FormatException Bad(string what) => new($"{path} line {i + 1}: {what}");
            int semi = line.IndexOf(';');
            if (semi < 0) throw Bad($"expected 'name; --optimizer X --lr Y [--schedule Z]', but there is no ';' in \"{line}\".");
            string name = line[..semi].Trim();
            if (name.Length == 0) throw Bad("the name before ';' is empty.");
            if (!names.Add(name)) throw Bad($"the name '{name}' is used twice.");
            var tokens = line[(semi + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string optimizer = "adam";
            double lr = 1e-3;
            string? schedule = null;
            bool perIteration = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int t = 0; t < tokens.Length; t++)
            {
                string flag = tokens[t];
                if (flag == "--schedule-per-iteration") { perIteration = true; continue; }
                if (flag is not ("--optimizer" or "--lr" or "--schedule"))
                    throw Bad($"unknown flag '{flag}'; allowed: --optimizer, --lr, --schedule, --schedule-per-iteration.");
                if (!seen.Add(flag)) throw Bad($"{flag} is given twice.");
                if (t + 1 >= tokens.Length || tokens[t + 1].StartsWith("--", StringComparison.Ordinal)) throw Bad($"{flag} needs a value.");
                string value = tokens[++t];
                switch (flag)
                {
                    case "--optimizer":
                        try { OptimizerParser.Parse(value); }
                        catch (ArgumentException e) { throw Bad($"--optimizer: {CommandKit.Message(e)}"); }
                        optimizer = value;
                        break;
                    case "--lr":
                        if (!KeyValueNumber(value, out lr) || !double.IsFinite(lr) || lr <= 0)
                            throw Bad($"--lr '{value}' is not a finite number > 0.");
                        break;
                    default:
                        schedule = value;
                        break;
                }
            }
            if (perIteration && schedule is null) throw Bad("--schedule-per-iteration needs --schedule.");
            configs.Add(new RunConfig(name, optimizer, lr, schedule, perIteration));
        }
        if (configs.Count == 0) throw new FormatException($"{path} lists no configuration (one per line: 'name; --optimizer X --lr Y [--schedule Z]').");
        return configs;
    }

    static bool KeyValueNumber(string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
}
