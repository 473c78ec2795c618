using System.CommandLine;
using System.Text;
using NetNumerics.Cli.Plots;
using NetNumerics.Fast.Schedules;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// `numerics schedule`: evaluates one or more schedules (repeated --schedule, the parser's syntax) over --steps steps
/// without training, with the Fast range fill, and writes schedule.csv (step, one column per schedule) and
/// schedule.png/.svg (the articles' schedule figures).
/// </summary>
static class ScheduleCommand
{
    /// <summary>The most steps `schedule` evaluates: every step is a CSV row and a plotted point (a million rows is ~25 MB).</summary>
    public const int MaxSteps = 1_000_000;

    public static Command Create(CliServices services, TextWriter output, TextWriter error)
    {
        var schedules = new Option<string[]>("--schedule")
        {
            Description = "A schedule, e.g. step:lr=0.1,drop=0.5,every=10 (repeat to overlay several).",
            DefaultValueFactory = _ => ["step:lr=0.1,drop=0.5,every=10,form=epoch+1"],
            AllowMultipleArgumentsPerToken = false,
        };
        var steps = new Option<int>("--steps") { Description = "Steps (epochs or iterations) to evaluate: 0 .. steps-1.", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "Base learning rate for schedules whose string gives no lr=.", DefaultValueFactory = _ => 0.1 };
        var logY = new Option<bool>("--log-y") { Description = "Draw the learning rate on a log axis.", DefaultValueFactory = _ => false };
        var outDir = CommandKit.OutOption("schedule");
        var quiet = CommandKit.QuietOption();
        var cmd = new Command("schedule", "Plot learning-rate schedules over a number of steps without training (PNG, SVG and CSV).")
        {
            schedules, steps, lr, logY, outDir, quiet,
        };
        cmd.SetAction(pr => CommandKit.Guarded("schedule", error, () =>
        {
            var texts = pr.GetValue(schedules) ?? [];
            int n = pr.GetValue(steps);
            double baseLr = pr.GetValue(lr);
            CommandKit.Positive(n, "--steps");
            if (n > MaxSteps)
                throw new UsageException($"--steps must be at most {MaxSteps} (each step is a CSV row and a plotted point), but was {n}.");
            CommandKit.PositiveFinite(baseLr, "--lr");
            if (texts.Length == 0) throw new UsageException("give at least one --schedule.");
            var fast = texts.Select(t => FastSchedule.From(CommandKit.ParseSchedule(services, t, baseLr, "--schedule"))).ToArray();
            var values = new double[fast.Length][];
            for (int i = 0; i < fast.Length; i++)
            {
                values[i] = new double[n];
                try { fast[i].Fill(0, values[i]); }
                catch (ArgumentException e) { throw new UsageException($"--schedule '{CommandKit.Shorten(texts[i])}' cannot be evaluated over {n} steps: {CommandKit.Reason(e)}"); }
            }
            bool log = pr.GetValue(logY);
            if (log && values.Any(v => v.Any(x => x <= 0)))
                output.WriteLine("note: some values are <= 0 and are left out of the log-scale plot (they are in schedule.csv).");

            using var folder = OutputFolder.Check(pr.GetValue(outDir), "schedule");
            string dir = folder.Begin();
            File.WriteAllText(Path.Combine(dir, "schedule.csv"), Csv(texts, values));
            double[] x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            LinePlot.Save(Path.Combine(dir, "schedule"), texts.Length == 1 ? $"Learning-rate schedule {texts[0]}" : "Learning-rate schedules",
                "step", "learning rate", texts.Select((t, i) => new Series(t, x, values[i])).ToArray(), logY: log);
            folder.Commit();
            if (!pr.GetValue(quiet))
                for (int i = 0; i < texts.Length; i++)
                    output.WriteLine($"{texts[i]}: step 0 {CommandKit.Num(values[i][0])}, step {n - 1} {CommandKit.Num(values[i][n - 1])}, min {CommandKit.Num(values[i].Min())}, max {CommandKit.Num(values[i].Max())}");
            output.WriteLine($"wrote schedule.csv, schedule.png, schedule.svg in {folder.Target}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>RFC 4180 field (schedule strings contain commas).</summary>
    public static string Field(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    static string Csv(string[] names, double[][] values)
    {
        var sb = new StringBuilder("step");
        foreach (var name in names) sb.Append(',').Append(Field(name));
        sb.Append('\n');
        for (int s = 0; s < values[0].Length; s++)
        {
            sb.Append(s);
            foreach (var v in values) sb.Append(',').Append(CommandKit.R(v[s]));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
