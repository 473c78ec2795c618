using System.Globalization;
using NetNumerics.Optimizers;

namespace NetNumerics.Cli.Commands;

/// <summary>One configuration of a comparison: a name, an optimizer (catalog name), a base learning rate and an optional schedule.</summary>
public sealed record RunConfig(string Name, string Optimizer, double LearningRate, string? Schedule = null, bool PerIteration = false)
{
    public string Describe() => $"{Optimizer} lr {CommandKit.Lr(LearningRate)}" +
        (Schedule is null ? "" : $" schedule {Schedule}{(PerIteration ? " per iteration" : " per epoch")}");
}

/// <summary>
/// The built-in suites of `numerics compare` (the articles' experiments) and the configuration-file format.
/// <list type="bullet">
/// <item>fixed-lr: Adam (Keras form) at 0.5, 0.01, 1e-3, 1e-5, 1e-7, constant.</item>
/// <item>schedules: SGD with Keras-form momentum 0.9 from lr 0.1 (the articles' CIFAR-10 setting): constant; time-based
/// lr0/(1+k t) per iteration with the articles' k = lr0/epochs (Keras 2 <c>decay=</c>); step decay drop 0.5 every 10 epochs
/// in the articles' <c>floor((1+epoch)/10)</c> form; exponential lr0 e^(-0.1 epoch); linear from lr0 to 0 over the run's epochs.</item>
/// <item>adaptive: Adagrad, Adadelta, RMSprop, Adam, AdaMax, Nadam at their Keras default learning rates and hyperparameters.</item>
/// <item>all: the three, names prefixed by the suite.</item>
/// </list>
/// </summary>
public static class CompareSuites
{
    public static IReadOnlyList<string> Names { get; } = ["fixed-lr", "schedules", "adaptive", "all"];

    public static IReadOnlyList<RunConfig>? Get(string suite, int epochs) => suite switch
    {
        "fixed-lr" => FixedLr(),
        "schedules" => Schedules(epochs),
        "adaptive" => Adaptive(),
        "all" => [.. FixedLr().Select(c => c with { Name = "fixed-lr/" + c.Name }),
                  .. Schedules(epochs).Select(c => c with { Name = "schedules/" + c.Name }),
                  .. Adaptive().Select(c => c with { Name = "adaptive/" + c.Name })],
        _ => null,
    };

    static RunConfig[] FixedLr() =>
        [.. new[] { 0.5, 0.01, 1e-3, 1e-5, 1e-7 }.Select(lr => new RunConfig($"adam lr={CommandKit.Lr(lr)}", "adam", lr))];

    static RunConfig[] Schedules(int epochs)
    {
        const double lr0 = 0.1;
        string k = (lr0 / epochs).ToString("R", CultureInfo.InvariantCulture);
        return
        [
            new("constant", "sgd-momentum", lr0),
            new("time-based", "sgd-momentum", lr0, $"time:lr=0.1,k={k}", PerIteration: true),
            new("step", "sgd-momentum", lr0, "step:lr=0.1,drop=0.5,every=10,form=epoch+1"),
            new("exponential", "sgd-momentum", lr0, "natexp:lr=0.1,k=0.1"),
            new("linear", "sgd-momentum", lr0, $"linear:lr=0.1,steps={epochs},end=0"),
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
    /// A configuration file: one configuration per line, <c>name; --optimizer X --lr Y [--schedule Z] [--schedule-per-iteration]</c>
    /// (flags in any order; --optimizer defaults to adam, --lr to 0.001); blank lines and lines starting with '#' are skipped.
    /// A malformed line is a FormatException "FILE line N: what is wrong".
    /// </summary>
    public static IReadOnlyList<RunConfig> ParseFile(string path, IReadOnlyList<string> optimizerNames)
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
                        if (!optimizerNames.Contains(value))
                            throw Bad($"unknown optimizer '{value}'; choose one of {string.Join(", ", optimizerNames)}.");
                        optimizer = value;
                        break;
                    case "--lr":
                        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out lr) || !double.IsFinite(lr) || lr <= 0)
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
}
