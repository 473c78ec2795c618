using System.Diagnostics;
using System.Text.RegularExpressions;
using NetNumerics.Properties.Training;
using NetNumerics.Training.Checkpoints;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>
/// Issue 15 end to end, under real MPI: the built `numerics` program launched by MPICH's Hydra (`mpiexec.mpich -n 2`, as a
/// user runs it on one machine; .ci/run installs MPICH when it is missing, and without it these tests fail saying so).
/// 2 ranks x 1 and x 2 threads write the checkpoint bytes of one process; a checkpoint of a 2-rank run resumes on one
/// process and one of a 1-process run on 2 ranks, to the same bits; a rank killed with SIGKILL ends the job within
/// seconds, the launcher naming its pid, which the run's first line maps to the rank, and the last checkpoint resumes;
/// a rank that hangs (SIGSTOP) is caught by the watchdog; rank counts the tree cannot split are refused in one line.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class MpiTrainTests : IClassFixture<MpiTrainTests.Straight>
{
    static string Numerics => Path.Combine(AppContext.BaseDirectory, "numerics.dll");

    static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>MPICH's launcher on the PATH; a clear failure when it is missing (never a skipped test).</summary>
    static string Mpiexec
    {
        get
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, "mpiexec.mpich"))) return Path.Combine(dir, "mpiexec.mpich");
            Assert.Fail("mpiexec.mpich is not on the PATH: install MPICH (apt-get install mpich libmpich-dev; .ci/run does) to run the MPI tests.");
            return "";
        }
    }

    /// <summary>`numerics ARGS` as one process (ranks = 0) or as `mpiexec.mpich -n RANKS numerics ARGS`.</summary>
    static Process Start(int ranks, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var info = new ProcessStartInfo(ranks == 0 ? DotnetHost : Mpiexec) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (ranks > 0) { info.ArgumentList.Add("-n"); info.ArgumentList.Add(ranks.ToString(System.Globalization.CultureInfo.InvariantCulture)); info.ArgumentList.Add(DotnetHost); }
        info.ArgumentList.Add(Numerics);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return Process.Start(info) ?? throw new InvalidOperationException("the program did not start");
    }

    static (int Code, string Out, string Err) Run(int ranks, params string[] args)
    {
        using var p = Start(ranks, null, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // A hang guard, not a speed check: generous so that a shared, loaded machine does not trip it.
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException($"{(ranks > 0 ? $"mpiexec -n {ranks} " : "")}numerics {string.Join(' ', args)} ran over 10 minutes"); }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The data and a straight one-process run (1 thread, 3 epochs) every test compares against.</summary>
    public sealed class Straight : IDisposable
    {
        readonly TempDir tmp = new();
        public Straight()
        {
            Assert.True(File.Exists(Numerics), $"{Numerics} is missing: the test project references src/Cli, whose build output is copied here");
            // 650 MNIST-shaped samples: 520 train in 13 batches of 40 (5 chunks of 8: rank 0 computes 4, rank 1 one), 130 validation.
            Data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 650, test: 100);
            Folder = Path.Combine(tmp.Path, "straight");
            var r = Run(0, [.. Common(Data), "--epochs", "3", "--threads", "1", "--out", Folder]);
            Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
            Checkpoint = CheckpointFile.Read(Path.Combine(Folder, "last.ckpt"));
            Assert.True(Checkpoint.History[^1].Loss < Checkpoint.History[0].Loss, "the run learned nothing, so the comparisons would prove little");
        }
        public string Data { get; }
        public string Folder { get; }
        public TrainingCheckpoint Checkpoint { get; }
        public string NewFolder(string name) => Path.Combine(tmp.Path, name);
        public void Dispose() => tmp.Dispose();
    }

    static string[] Common(string data) => ["train", "--data", data, "--batch-size", "40", "--seed", "3", "--quiet"];

    readonly Straight straight;
    public MpiTrainTests(Straight straight) => this.straight = straight;

    static void AssertSameBits(TrainingCheckpoint a, TrainingCheckpoint b, string what)
    {
        Assert.Equal(a.Epoch, b.Epoch);
        Assert.Equal(a.Iteration, b.Iteration);
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.True(a.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits)),
                $"{what}: parameter {a.Parameters[i].Name} differs");
        for (int i = 0; i < a.OptimizerStates.Count; i++) Assert.True(a.OptimizerStates[i].BitEquals(b.OptimizerStates[i]), $"{what}: optimizer state {i} differs");
        Assert.Equal(a.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)),
                     b.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Two_ranks_write_the_checkpoint_and_history_bytes_of_one_process(int threads)
    {
        string dir = straight.NewFolder($"ranks2-threads{threads}");
        var r = Run(2, [.. Common(straight.Data), "--epochs", "3", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", dir]);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Out} {r.Err}");
        foreach (string file in new[] { "last.ckpt", "best.ckpt", "history.csv", "history.json" })
            Assert.True(File.ReadAllBytes(Path.Combine(straight.Folder, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, file))), $"{file} differs from one process's");
        Assert.Single(Regex.Matches(r.Out, "^test_loss: ", RegexOptions.Multiline));   // rank 0 alone reports
    }

    [Fact]
    public void A_checkpoint_of_two_ranks_resumes_on_one_process_and_one_of_one_process_on_two_ranks_to_the_same_bits()
    {
        string a = straight.NewFolder("2-then-1"), b = straight.NewFolder("1-then-2");
        var first = Run(2, [.. Common(straight.Data), "--epochs", "1", "--threads", "1", "--out", a]);
        Assert.True(first.Code == 0, $"exit {first.Code}: {first.Err}");
        var rest = Run(0, "train", "--resume", a, "--epochs", "3", "--threads", "2", "--quiet");
        Assert.True(rest.Code == 0, $"exit {rest.Code}: {rest.Err}");
        AssertSameBits(straight.Checkpoint, CheckpointFile.Read(Path.Combine(a, "last.ckpt")), "2 ranks, then 1 process");

        first = Run(0, [.. Common(straight.Data), "--epochs", "1", "--threads", "1", "--out", b]);
        Assert.True(first.Code == 0, $"exit {first.Code}: {first.Err}");
        rest = Run(2, "train", "--resume", b, "--epochs", "3", "--threads", "1", "--quiet");
        Assert.True(rest.Code == 0, $"exit {rest.Code}: {rest.Err}");
        AssertSameBits(straight.Checkpoint, CheckpointFile.Read(Path.Combine(b, "last.ckpt")), "1 process, then 2 ranks");
    }

    /// <summary>Starts 2 ranks, waits for the first checkpoint, does <paramref name="signal"/> to rank 1 (its pid from the run's
    /// first line), and returns how long the job took to end after it, with its exit code and output.</summary>
    (TimeSpan After, int Code, string Output, int Pid) Disturb(string dir, string signal, IReadOnlyDictionary<string, string>? env)
    {
        // Not --quiet: the first line maps the ranks to their pids.
        string[] args = ["train", "--data", straight.Data, "--batch-size", "40", "--seed", "3", "--epochs", "3", "--threads", "1", "--out", dir];
        using var p = Start(2, env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        string last = Path.Combine(dir, "last.ckpt");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(last) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5)) Thread.Sleep(10);
        Assert.True(File.Exists(last), $"no checkpoint appeared (exited: {p.HasExited})");
        Assert.False(p.HasExited, "the run ended before a rank could be disturbed");
        // Rank 1 is the launcher's descendant whose environment says PMI_RANK=1 (the output is read only at the end).
        int pid = Rank1Pid(p.Id);
        using (var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        var after = Stopwatch.StartNew();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); Assert.Fail($"the job did not end within 2 minutes of SIG{signal} to rank 1: it hangs"); }
        var took = after.Elapsed;
        p.WaitForExit();
        return (took, p.ExitCode, stdout.Result + stderr.Result, pid);
    }

    /// <summary>The pid of the `numerics` process whose environment says PMI_RANK=1, among the launcher's descendants.</summary>
    static int Rank1Pid(int launcher)
    {
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == launcher) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("numerics.dll", StringComparison.Ordinal)) continue;
                var env = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (env.Contains("PMI_RANK=1") && Descends(pid, launcher)) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Assert.Fail("rank 1's process was not found");
        return 0;
    }

    static bool Descends(int pid, int ancestor)
    {
        for (int p = pid, guard = 0; p > 1 && guard < 64; guard++)
        {
            string stat = File.ReadAllText($"/proc/{p}/stat");
            p = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (p == ancestor) return true;
        }
        return false;
    }

    [Fact]
    public void A_rank_killed_with_SIGKILL_ends_the_job_within_seconds_naming_it_and_the_last_checkpoint_resumes_to_the_same_bits()
    {
        string dir = straight.NewFolder("killed");
        var (after, code, output, pid) = Disturb(dir, "KILL", null);
        Assert.NotEqual(0, code);
        // Hydra ends the job at once (0.1 s measured); 30 s leaves room for a loaded machine and still is not a hang.
        Assert.True(after < TimeSpan.FromSeconds(30), $"the job took {after.TotalSeconds:F1} s to end after rank 1 was killed");
        Assert.Contains($"rank 1 (pid {pid} on ", output);   // the run's first line: rank -> pid
        Assert.Contains($"PID {pid} RUNNING AT", output);      // the launcher names the dead process
        Assert.Contains("EXIT CODE: 9", output);
        var atKill = CheckpointFile.Read(Path.Combine(dir, "last.ckpt"));   // whole: written to a temp file, then renamed
        Assert.InRange(atKill.Epoch, 1, 2);

        var r = Run(0, "train", "--resume", dir, "--threads", "2", "--quiet");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        AssertSameBits(straight.Checkpoint, CheckpointFile.Read(Path.Combine(dir, "last.ckpt")), "killed on 2 ranks, resumed on 1 process");
    }

    [Fact]
    public void A_rank_that_hangs_is_caught_by_the_watchdog_which_aborts_the_job_in_one_line()
    {
        var (after, code, output, _) = Disturb(straight.NewFolder("stopped"), "STOP", new Dictionary<string, string> { ["NETNUMERICS_MPI_TIMEOUT"] = "3" });
        Assert.NotEqual(0, code);
        Assert.True(after < TimeSpan.FromSeconds(60), $"the job took {after.TotalSeconds:F1} s to end after rank 1 stopped (patience 3 s)");
        Assert.Matches(@"numerics: rank 0 of 2 waited 3 s in MPI_\w+ for the other ranks: .*; aborting the job\.", output);
    }

    [Fact]
    public void Rank_counts_the_tree_cannot_split_and_commands_other_than_train_are_refused_in_one_line()
    {
        var three = Run(3, [.. Common(straight.Data), "--epochs", "1", "--out", straight.NewFolder("three")]);
        Assert.NotEqual(0, three.Code);   // rank 0's 2, or the launcher's 9 once it has ended the other ranks
        Assert.Equal("numerics train: 3 ranks (MPICH Hydra (PMI_RANK, PMI_SIZE)): a batch of 40 is 5 chunks of 8, and its reduction tree splits into whole subtrees " +
            "only over a power of two of ranks up to 4: launch 1, 2 or 4 ranks, or raise --batch-size.", three.Err.Trim());
        Assert.Single(three.Err.Trim().Split('\n'));   // rank 0 alone reports
        Assert.False(Directory.Exists(straight.NewFolder("three")), "a refused run wrote its folder");

        var compare = Run(2, "schedule", "step:drop=0.5,every=2");
        Assert.NotEqual(0, compare.Code);
        Assert.Equal("numerics: MPICH Hydra (PMI_RANK, PMI_SIZE) started this as rank 0 of 2, but only `numerics train` runs over MPI (not `schedule`); run other commands as one process.", compare.Err.Trim());
    }
}
