using NetNumerics.Training.Checkpoints;
using System.Diagnostics;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Cli;

/// <summary>
/// Issue #5 end to end: the built `numerics` program (numerics.dll, copied next to this test assembly through the
/// project reference) is killed with SIGKILL in the middle of training, after its first checkpoint exists; `train
/// --resume` then finishes the run, on another thread count, and the final checkpoint has the same weight bits,
/// optimizer state and history as a run that was never interrupted.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class KillAndResumeTests
{
    static string Numerics => Path.Combine(AppContext.BaseDirectory, "numerics.dll");

    /// <summary>The dotnet host running these tests (so the same runtime runs the program), else `dotnet` on the PATH.</summary>
    static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Numerics);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("the numerics program did not start");
    }

    static (int Code, string Out, string Err) RunToEnd(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // A hang guard, not a speed check: generous so that a shared, loaded machine (load 30 on 2 cores) does not trip it.
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(); throw new TimeoutException($"numerics {string.Join(' ', args)} ran over 10 minutes"); }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void A_run_killed_mid_epoch_and_resumed_ends_with_the_bits_of_an_uninterrupted_run()
    {
        Assert.True(File.Exists(Numerics), $"{Numerics} is missing: the test project references src/Cli, whose build output is copied here");
        using var tmp = new TempDir();
        // 600 MNIST-shaped samples: 480 train (12 batches of 40), 120 validation; 5 epochs take a few seconds.
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 600, test: 100);
        string straight = Path.Combine(tmp.Path, "straight"), killed = Path.Combine(tmp.Path, "killed");
        string[] common = ["train", "--data", data, "--epochs", "5", "--batch-size", "40", "--seed", "3", "--quiet"];

        var s = RunToEnd([.. common, "--out", straight, "--threads", "1"]);
        Assert.True(s.Code == 0, $"exit {s.Code}: {s.Err}");

        string last = Path.Combine(killed, "last.ckpt");
        using (var p = Start([.. common, "--out", killed, "--threads", "2"]))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(last) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(10);
            Assert.True(File.Exists(last), $"no checkpoint appeared (exited: {p.HasExited})");
            Thread.Sleep(200);                               // into the next epoch's batches
            Assert.False(p.HasExited, "the run ended before it could be killed");
            p.Kill();                                        // SIGKILL: no handler runs, whatever was in flight is lost
            p.WaitForExit();
            Assert.NotEqual(0, p.ExitCode);
        }
        var atKill = CheckpointFile.Read(last);             // the file is whole: written to a temp file, then renamed
        Assert.InRange(atKill.Epoch, 1, 4);
        Assert.Equal(0, atKill.Batch);

        var r = RunToEnd("train", "--resume", killed, "--threads", "2", "--quiet");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");

        var a = CheckpointFile.Read(Path.Combine(straight, "last.ckpt"));
        var b = CheckpointFile.Read(last);
        Assert.Equal(5, b.Epoch);
        Assert.Equal(a.Iteration, b.Iteration);
        for (int i = 0; i < a.Parameters.Count; i++)
            NumericAssert.BitExact<float>(a.Parameters[i].Values, b.Parameters[i].Values, label: $"parameter {a.Parameters[i].Name}");
        for (int i = 0; i < a.OptimizerStates.Count; i++) NumericAssert.BitExact(a.OptimizerStates[i], b.OptimizerStates[i], label: $"optimizer state {i}");
        Assert.Equal(a.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)),
                     b.History.Select(h => (h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy, h.LearningRate)));
        Assert.True(a.History[^1].Loss < a.History[0].Loss, "the run learned nothing, so the comparison would prove little");
        // The same summary line (test loss and accuracy) as the uninterrupted run, seconds and memory aside.
        static string Summary(string stdout) =>
            string.Join(" - ", stdout.Split('\n').Single(l => l.StartsWith("test_loss", StringComparison.Ordinal)).Split(" - ").Take(2));
        Assert.Equal(Summary(s.Out), Summary(r.Out));
    }
}
