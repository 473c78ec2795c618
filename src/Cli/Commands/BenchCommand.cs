using System.CommandLine;
using System.Globalization;
using NetNumerics.Cli.Bench;
using NetNumerics.Optimizers;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics bench`: how fast this library is on the user's own machine, in 1-2 minutes and without BenchmarkDotNet: the FMA
/// peak and copy-bandwidth probes, every optimizer's Fast and Reference update in cache and in memory, and the seed CNN's
/// training step at 1 and 2 threads, each set against its probe from the same run (<see cref="BenchRunner"/>). One Markdown
/// table on stdout, or with --json the same figures as JSON; progress on stderr. The BenchmarkDotNet suites in bench/
/// remain the rigorous measurement (their own processes, statistics and outlier handling).
/// </summary>
static class BenchCommand
{
    static readonly (string Name, BenchSections Section)[] SectionNames =
        [("fma", BenchSections.Fma), ("copy", BenchSections.Copy), ("optimizers", BenchSections.Optimizers), ("cnn", BenchSections.Cnn)];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var quick = new Option<bool>("--quick") { Description = string.Create(CultureInfo.InvariantCulture, $"A few seconds: fewer repetitions, a {BenchPlan.Quick.InMemory:N0}-float \"in memory\" tensor (fits a large L3)."), DefaultValueFactory = _ => false };
        var json = new Option<bool>("--json") { Description = "Write the results as JSON (for machines) instead of the table.", DefaultValueFactory = _ => false };
        var sections = new Option<string>("--sections")
        {
            Description = "Comma-separated sections to run: fma, copy, optimizers, cnn (optimizers also run copy, cnn also runs fma: their yardsticks).",
            DefaultValueFactory = _ => "fma,copy,optimizers,cnn",
        };
        var optimizers = new Option<string[]>("--optimizer")
        {
            Description = "An optimizer to measure (repeat for several), " + OptimizerCatalog.Help,
            DefaultValueFactory = _ => BenchPlan.DefaultOptimizers,
            AllowMultipleArgumentsPerToken = false,
        };
        var cmd = new Command("bench", "Measure this machine: FMA peak and copy bandwidth probes, every optimizer Fast vs Reference, the seed CNN step at 1 and 2 threads.")
        {
            quick, json, sections, optimizers,
        };
        cmd.SetAction(pr => CommandKit.Guarded("bench", error, () =>
        {
            var chosen = ParseSections(pr.GetValue(sections) ?? "");
            string[] texts = pr.GetValue(optimizers) ?? [];
            if (texts.Length == 0) throw new UsageException("--optimizer: give at least one optimizer.");
            var specs = texts.Select(t => OptimizerCatalog.Parse(t, "--optimizer")).ToArray();
            if (chosen.HasFlag(BenchSections.Optimizers)) chosen |= BenchSections.Copy;
            if (chosen.HasFlag(BenchSections.Cnn)) chosen |= BenchSections.Fma;
            var plan = pr.GetValue(quick) ? BenchPlan.Quick : BenchPlan.Full;
            var results = BenchRunner.Run(plan, chosen, specs, line => error.WriteLine($"bench: {line}"));
            string text = pr.GetValue(json) ? BenchReport.Json(results) : Checked(results);
            output.Write(text);
            if (!text.EndsWith('\n')) output.WriteLine();
            return 0;
        }));
        return cmd;
    }

    static string Checked(BenchResults results)
    {
        BenchReport.Check(results);
        return BenchReport.Table(results);
    }

    /// <summary>"fma,cnn" -> the sections; an unknown or empty name is a one-line UsageException listing the names.</summary>
    internal static BenchSections ParseSections(string text)
    {
        var chosen = BenchSections.None;
        foreach (string part in text.Split(','))
        {
            string name = part.Trim().ToLowerInvariant();
            var match = SectionNames.FirstOrDefault(s => s.Name == name);
            if (match.Name is null)
                throw new UsageException($"--sections '{CommandKit.Shorten(text)}': unknown section '{CommandKit.Shorten(part.Trim(), 30)}'; allowed: {string.Join(", ", SectionNames.Select(s => s.Name))} (comma-separated).");
            chosen |= match.Section;
        }
        return chosen;
    }
}
