using System.Diagnostics;
using System.Text.Json;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>A clock that advances exactly one second each time it is read, so every configuration takes 1.0 s and reports are comparable byte for byte.</summary>
sealed class OneSecondClock : TimeProvider
{
    long _now;
    public override long GetTimestamp() => Interlocked.Add(ref _now, TimestampFrequency);
}

/// <summary>`compare --shard K/N`, `compare merge` and the Slurm / Kubernetes shard arithmetic.</summary>
public class CompareShardTests
{
    /// <summary>The library's own services (the Fast seed CNN, real parsers) with a fixed clock.</summary>
    static readonly CliServices Real = CliServices.Default with { Clock = new OneSecondClock(), FetchMnist = null };

    static (int Code, string Out, string Err) Run(CliServices services, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, services);
        return (code, o.ToString(), e.ToString());
    }

    static readonly string[] ReportFiles =
        ["results.md", "results.csv", "summary.png", "summary.svg", "val_accuracy.png", "val_accuracy.svg", "val_loss.png", "val_loss.svg", "loss.png", "loss.svg"];

    /// <summary>
    /// The tiny budget of the articles' fixed-rate suite with two seeds: a small Fast CNN (--model) on 300 MNIST-shaped images
    /// (240 trained on, 60 held out), 1 epoch, 100 test images; 10 configurations, run whole and as 2 shards (5 each) in separate
    /// runs, so the two seeds of every rate are in different shards and the merge must bring them together for the mean.
    /// </summary>
    [Fact]
    public void Two_shards_merged_give_the_unsharded_runs_table_and_figures_byte_for_byte()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "mnist"), train: 300, test: 100);
        string[] common = ["compare", "fixed-lr", "--data", data, "--model", "conv8:3,relu,maxpool2,dropout0.25,flatten,dense10", "--epochs", "1",
            "--batch-size", "50", "--seeds", "2", "--threads", "2", "--quiet"];
        string whole = Path.Combine(tmp.Path, "whole"), s1 = Path.Combine(tmp.Path, "s1"), s2 = Path.Combine(tmp.Path, "s2"), merged = Path.Combine(tmp.Path, "merged");
        foreach (var (args, what) in new[] { ((string[])[.. common, "--out", whole], "whole"), ([.. common, "--shard", "1/2", "--out", s1], "1/2"), ([.. common, "--shard", "2/2", "--out", s2], "2/2") })
        {
            var r = Run(Real, args);
            Assert.True(r.Code == 0, $"{what}: {r.Err}");
        }
        var m = Run(Real, "compare", "merge", s2, s1, "--out", merged);
        Assert.True(m.Code == 0, m.Err);
        Assert.Contains("merged 2 folders (10 configurations of fixed-lr)", m.Out);

        // Each shard ran its share: configurations i with i mod 2 = K - 1.
        Assert.Equal([0, 2, 4, 6, 8], Ran(s1));
        Assert.Equal([1, 3, 5, 7, 9], Ran(s2));
        Assert.Equal(5, Directory.GetDirectories(s1).Length);
        foreach (string f in ReportFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(whole, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, f))), $"{f} differs");
        Assert.Equal(Directory.GetDirectories(whole).Select(Path.GetFileName), Directory.GetDirectories(merged).Select(Path.GetFileName));
        Assert.Equal(Enumerable.Range(0, 10), Ran(merged));

        // The table has the ten runs and the mean and standard deviation of each rate over its two seeds.
        string md = File.ReadAllText(Path.Combine(merged, "results.md"));
        Assert.Contains("| adam lr=1e-3 seed=2 | adam | 1e-3 | constant |", md);
        Assert.Contains("Model: conv8:3,relu,maxpool2,dropout0.25,flatten,dense10.", md);
        Assert.Contains("Mean and sample standard deviation (n - 1) over the 2 seeds", md);
        Assert.Contains("| adam lr=1e-5 | adam | 1e-5 | constant | 1 2 |", md);
        Assert.Contains("Time: 10.0 s, the sum over the 10 configurations", md);
        Assert.Contains("adam lr=0.01", PlotFiles.AssertPlot(Path.Combine(merged, "summary")));
    }

    /// <summary>
    /// Seeds added to a finished sweep: the fixed-rate suite at the tiny budget run for seed 1, then for seeds 2-3 as two shards;
    /// merged, the three folders are the run of seeds 1 to 3 (`--seeds 3`) file for file and byte for byte: the table with the
    /// mean and standard deviation over three seeds, the figures, compare.json, and every configuration's folder renumbered.
    /// </summary>
    [Fact]
    public void Runs_whose_seeds_follow_on_join_into_the_run_of_all_their_seeds_byte_for_byte()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "mnist"), train: 300, test: 100);
        string[] common = ["compare", "fixed-lr", "--data", data, "--model", "conv8:3,relu,maxpool2,dropout0.25,flatten,dense10", "--epochs", "1",
            "--batch-size", "50", "--threads", "2", "--quiet"];
        string P(string name) => Path.Combine(tmp.Path, name);
        foreach (string[] args in new[]
                 {
                     (string[])[.. common, "--seeds", "3", "--out", P("whole")], [.. common, "--out", P("seed1")],
                     [.. common, "--seed", "2", "--seeds", "2", "--shard", "1/2", "--out", P("s23a")], [.. common, "--seed", "2", "--seeds", "2", "--shard", "2/2", "--out", P("s23b")],
                     [.. common, "--seed", "3", "--out", P("seed3")],
                 })
        {
            var r = Run(Real, args);
            Assert.True(r.Code == 0, $"{string.Join(' ', args)}: {r.Err}");
        }
        var m = Run(Real, "compare", "merge", P("s23b"), P("seed1"), P("s23a"), "--out", P("joined"));
        Assert.True(m.Code == 0, m.Err);
        Assert.Contains("merged 3 folders (15 configurations of fixed-lr, seeds 1 to 3)", m.Out);

        string[] Files(string dir) => [.. Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)];
        Assert.Equal(Files(P("whole")), Files(P("joined")));
        // Every file byte for byte, except the per-epoch wall time the trainer measures itself (its own stopwatch, not the
        // command's clock): the seconds column of history.csv and the "seconds" of each epoch in outcome.json are left out.
        foreach (string f in Files(P("whole")))
        {
            string name = Path.GetFileName(f);
            if (name is "history.csv" or "outcome.json")
                Assert.Equal(WithoutEpochSeconds(Path.Combine(P("whole"), f)), WithoutEpochSeconds(Path.Combine(P("joined"), f)));
            else
                Assert.True(File.ReadAllBytes(Path.Combine(P("whole"), f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(P("joined"), f))), $"{f} differs");
        }
        Assert.Contains("Mean and sample standard deviation (n - 1) over the 3 seeds", File.ReadAllText(P("joined/results.md")));

        // Seeds given twice, or seeds that leave a gap, are one line naming the folders, and nothing is written.
        foreach (var (dirs, expected) in new[]
                 {
                     (new[] { P("seed1"), P("whole") }, "repeats seeds of"),
                     ([P("seed1"), P("seed3")], "seeds 1 and 3 leave a gap"),
                     ([P("seed1"), P("s23a")], "shard 2/2 is missing (of the run of seeds 2 to 3)"),
                 })
        {
            var (code, stdout, stderr) = Run(Real, ["compare", "merge", .. dirs, "--out", P("bad")]);
            Assert.Equal(2, code);
            Assert.Contains(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal("", stdout);
            Assert.False(Directory.Exists(P("bad")));
        }
    }

    /// <summary>history.csv without its last (seconds) column, or outcome.json without the seconds of each epoch.</summary>
    static string WithoutEpochSeconds(string path) => Path.GetFileName(path) == "history.csv"
        ? string.Join('\n', File.ReadAllLines(path).Select(l => l[..l.LastIndexOf(',')]))
        : System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "(\"epoch\"(?:(?!\"seconds\")[^}])*\"seconds\": )[^,}\\s]+", "$1_");

    static int[] Ran(string dir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "compare.json"))).RootElement.GetProperty("ran").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Fact]
    public void Merge_refuses_a_missing_shard_a_shard_given_twice_and_a_shard_of_another_run_in_one_line_writing_nothing()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        var services = ScheduleCommandTests.Services with { Clock = new OneSecondClock() };
        string[] common = ["compare", "schedules", "--data", data, "--epochs", "2", "--batch-size", "20", "--quiet"];
        string s1 = Path.Combine(tmp.Path, "s1"), s2 = Path.Combine(tmp.Path, "s2"), other = Path.Combine(tmp.Path, "other"), outDir = Path.Combine(tmp.Path, "m");
        Assert.Equal(0, Run(services, [.. common, "--shard", "1/2", "--out", s1]).Code);
        Assert.Equal(0, Run(services, [.. common, "--shard", "2/2", "--out", s2]).Code);
        Assert.Equal(0, Run(services, [.. common, "--shard", "2/2", "--out", other, "--seed", "9"]).Code);
        foreach (var (dirs, expected) in new[]
                 {
                     (new[] { s1 }, "no folder holds configuration 2 ('time-based'): shard 2/2 is missing"),
                     ([s1, s1, s2], "is in both"),
                     ([s1, other], "is another run than"),
                     ([s1, Path.Combine(tmp.Path, "nope")], "does not exist"),
                     ([s1, data], "has no compare.json"),
                 })
        {
            var (code, stdout, stderr) = Run(services, ["compare", "merge", .. dirs, "--out", outDir]);
            Assert.Equal(2, code);
            Assert.Contains(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal("", stdout);
            Assert.False(Directory.Exists(outDir));
        }
        Assert.Contains("seed 1 vs 9", Run(services, "compare", "merge", other, s1, "--out", outDir).Err);
        // The schedules suite in two shards: the merged table lists all five in suite order.
        var ok = Run(services, "compare", "merge", s1, s2, "--out", outDir);
        Assert.True(ok.Code == 0, ok.Err);
        Assert.Equal(["constant", "time-based", "step", "exponential", "linear"],
            File.ReadAllLines(Path.Combine(outDir, "results.md")).Where(l => l.StartsWith("| ") && !l.StartsWith("| config")).Select(l => l.Split('|')[1].Trim()));
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1-2")]
    [InlineData("1/2/3")]
    public void A_bad_shard_is_one_line_naming_it(string shard)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        var (code, stdout, stderr) = Run(ScheduleCommandTests.Services, "compare", "fixed-lr", "--data", data, "--shard", shard, "--out", Path.Combine(tmp.Path, "o"));
        Assert.Equal(2, code);
        Assert.Contains($"--shard '{shard}' is not K/N", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "o")));
    }

    [Fact]
    public void List_prints_every_configuration_and_its_shard_without_training()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        var (code, stdout, stderr) = Run(ScheduleCommandTests.Services, "compare", "fixed-lr", "--data", data, "--seeds", "3", "--shard", "2/4", "--list");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(15, lines.Length);
        Assert.Equal(["2", "6", "10", "14"], lines.Where(l => !l.Contains("not this one")).Select(l => l.Split('\t')[0]));
        Assert.StartsWith("1\tshard 1/4 (not this one)\tadam lr=0.5 seed=1\tadam lr 0.5 seed 1", lines[0]);
        Assert.Equal([Path.Combine(tmp.Path, "idx")], Directory.GetDirectories(tmp.Path));   // nothing written
    }

    /// <summary>Only the clr suite needs the data to list its configurations; the others list from the suite alone and read nothing.</summary>
    [Fact]
    public void List_of_a_suite_that_needs_no_data_reads_none()
    {
        using var tmp = new TempDir();
        string missing = Path.Combine(tmp.Path, "no-data-here");
        var (code, stdout, stderr) = Run(ScheduleCommandTests.Services, "compare", "cifar10-article", "--data", missing, "--list");
        Assert.True(code == 0, stderr);
        Assert.Equal(8, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(Directory.Exists(missing));
        var clr = Run(ScheduleCommandTests.Services, "compare", "clr", "--data", missing, "--list");
        Assert.Equal(2, clr.Code);
        Assert.Contains("no-data-here", Assert.Single(clr.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    // ---- the cluster scripts -------------------------------------------------------------------------------------------

    static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    static (int Code, string Out, string Err) Shell(string program, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd(), e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o, e);
    }

    /// <summary>
    /// The Slurm script run locally with the variables Slurm sets for each task of an array (ids 1-4, 0-3 and 3-9:2):
    /// tasks map one to one onto shards 1..N, each into its own folder, and the suite's configurations are covered once.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 4)]
    [InlineData(0, 1, 4)]
    [InlineData(3, 2, 4)]
    public void The_slurm_array_script_gives_each_task_its_own_shard(int min, int step, int count)
    {
        string script = RepoFile(Path.Combine("scripts", "sweep", "slurm-array.sh"));
        var shards = new List<string>();
        for (int t = 0; t < count; t++)
        {
            var env = new Dictionary<string, string>
            {
                ["SLURM_ARRAY_TASK_ID"] = (min + t * step).ToString(), ["SLURM_ARRAY_TASK_MIN"] = min.ToString(), ["SLURM_ARRAY_TASK_STEP"] = step.ToString(),
                ["SLURM_ARRAY_TASK_COUNT"] = count.ToString(), ["SLURM_CPUS_PER_TASK"] = "3", ["NUMERICS"] = "numerics",
            };
            var (code, stdout, stderr) = Shell("bash", [script, "--dry-run", "fixed-lr", "/results/run", "--seeds", "3", "--epochs", "25"], env);
            Assert.True(code == 0, stderr);
            Assert.Equal($"numerics compare fixed-lr --shard {t + 1}/{count} --out /results/run/shard-{t + 1}-of-{count} --threads 3 --seeds 3 --epochs 25", stdout.Trim());
            shards.Add(stdout.Split("--shard ")[1].Split(' ')[0]);
        }
        Assert.Equal(Enumerable.Range(1, count).Select(k => $"{k}/{count}"), shards);
        // Every configuration of a 15-configuration suite in exactly one shard (the assignment compare --shard uses).
        var owners = Enumerable.Range(0, 15).Select(i => shards.Count(s => NetNumerics.Cli.Commands.Shard.Parse(s).Takes(i))).ToArray();
        Assert.All(owners, n => Assert.Equal(1, n));
    }

    [Theory]
    [InlineData("5", "1", "4", "task id 5 is shard 5, but there are only 4 shards")]
    [InlineData("2", "3", "4", "task id 2 is not one of 3")]
    [InlineData("x", "1", "4", "SLURM_ARRAY_TASK_ID must be a non-negative integer")]
    [InlineData("", "1", "4", "SLURM_ARRAY_TASK_ID is not set")]
    public void The_slurm_array_script_refuses_ids_outside_the_array_in_one_line(string id, string min, string count, string expected)
    {
        string script = RepoFile(Path.Combine("scripts", "sweep", "slurm-array.sh"));
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_MIN"] = min, ["SLURM_ARRAY_TASK_COUNT"] = count };
        if (id.Length > 0) env["SLURM_ARRAY_TASK_ID"] = id;
        var (code, stdout, stderr) = Shell("bash", [script, "--dry-run", "fixed-lr", "/results"], env);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>The Indexed Job's shell command, taken from the YAML and run with each JOB_COMPLETION_INDEX and a stand-in program that prints its arguments.</summary>
    [Fact]
    public void The_kubernetes_indexed_job_runs_shard_index_plus_one_of_its_completions()
    {
        var yaml = File.ReadAllLines(RepoFile(Path.Combine("scripts", "sweep", "k8s-indexed-job.yaml")));
        string Value(string key) => yaml.Single(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        string EnvValue(string name) => yaml[Array.FindIndex(yaml, l => l.Trim() == $"- name: {name}") + 1].Split("value:", 2)[1].Trim().Trim('"');
        Assert.Equal("Indexed", Value("completionMode"));
        int completions = int.Parse(Value("completions"));
        Assert.Equal(completions, int.Parse(Value("parallelism")));
        Assert.Equal(completions, int.Parse(EnvValue("SHARDS")));
        int start = Array.FindIndex(yaml, l => l.Trim() == "- |") + 1;
        int indent = yaml[start].Length - yaml[start].TrimStart().Length;
        string body = string.Join('\n', yaml.Skip(start).TakeWhile(l => l.Length - l.TrimStart().Length >= indent && l.Trim().Length > 0).Select(l => l[indent..]));
        for (int index = 0; index < completions; index++)
        {
            var env = new Dictionary<string, string>
            {
                ["JOB_COMPLETION_INDEX"] = index.ToString(), ["SUITE"] = EnvValue("SUITE"), ["SHARDS"] = EnvValue("SHARDS"), ["FLAGS"] = EnvValue("FLAGS"),
                ["NUMERICS"] = "echo numerics",
            };
            var (code, stdout, stderr) = Shell("sh", ["-c", body], env);
            Assert.True(code == 0, stderr);
            Assert.StartsWith($"numerics compare fixed-lr --shard {index + 1}/{completions} --out /results/fixed-lr/shard-{index + 1}-of-{completions} --threads 2 --seeds 3", stdout.Trim());
        }
    }
}
