using NetNumerics.Training.Checkpoints;
using NetNumerics.Properties.Training;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #1: SIGINT and SIGTERM sent to the built `numerics train` (a child process, the seed CNN on MNIST-shaped
/// data): the first finishes the batch in flight, saves last.ckpt, says so in one line and exits 130 / 143, and the
/// saved state resumes to the bits of a run never interrupted; a second signal exits at once. And the epoch line a user
/// sees is printed only once that epoch's checkpoint is on disk.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class SignalTests
{
    static readonly TimeSpan Minutes2 = TimeSpan.FromMinutes(2);

    [Fact]
    public void Sigint_saves_the_state_after_the_batch_in_flight_says_so_exits_130_and_resuming_gives_the_uninterrupted_bits()
    {
        using var tmp = new TempDir();
        // 300 MNIST-shaped samples: 240 train (6 batches of 40), 60 validation.
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 300, test: 50);
        string run = Path.Combine(tmp.Path, "run");
        string[] common = ["train", "--data", data, "--batch-size", "40", "--seed", "5", "--threads", "1"];
        var r = Interrupt([.. common, "--out", run, "--epochs", "40"], HostileKit.SIGINT);
        Assert.True(r.Code == 130, $"exit {r.Code}, expected 130; stderr: {r.Err}");
        AssertSaidSo(r, "SIGINT", run);
        var saved = CheckpointFile.Read(Path.Combine(run, "last.ckpt"));   // whole and consistent
        Assert.False(saved.Stopped);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));

        // Finish the interrupted epoch: the same bytes as a straight run that long (no clock in the file).
        int epochs = saved.Epoch + 1;
        var resumed = HostileKit.RunChild(Minutes2, "train", "--resume", run, "--epochs", $"{epochs}", "--quiet", "--threads", "2");
        Assert.True(resumed.Code == 0, resumed.Err);
        string straight = Path.Combine(tmp.Path, "straight");
        var s = HostileKit.RunChild(Minutes2, [.. common, "--out", straight, "--epochs", $"{epochs}", "--quiet"]);
        Assert.True(s.Code == 0, s.Err);
        var a = CheckpointFile.Read(Path.Combine(straight, "last.ckpt"));
        var b = CheckpointFile.Read(Path.Combine(run, "last.ckpt"));
        Assert.Equal((epochs, 0, a.Iteration), (b.Epoch, b.Batch, b.Iteration));
        for (int i = 0; i < a.Parameters.Count; i++)
            NumericAssert.BitExact<float>(a.Parameters[i].Values, b.Parameters[i].Values, label: $"parameter {a.Parameters[i].Name}");
        for (int i = 0; i < a.OptimizerStates.Count; i++) NumericAssert.BitExact(a.OptimizerStates[i], b.OptimizerStates[i], label: $"optimizer state {i}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "last.ckpt")), File.ReadAllBytes(Path.Combine(run, "last.ckpt")));
    }

    [Fact]
    public void Sigterm_saves_the_state_says_so_and_exits_143()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 300, test: 50);
        string run = Path.Combine(tmp.Path, "run");
        var r = Interrupt(["train", "--data", data, "--batch-size", "40", "--threads", "1", "--out", run, "--epochs", "40"], HostileKit.SIGTERM);
        Assert.True(r.Code == 143, $"exit {r.Code}, expected 143; stderr: {r.Err}");
        AssertSaidSo(r, "SIGTERM", run);
        Assert.False(CheckpointFile.Read(Path.Combine(run, "last.ckpt")).Stopped);
    }

    /// <summary>Starts the run, sends the signal once training has begun (its header line is out), waits for the exit.</summary>
    static (int Code, string Out, string Err) Interrupt(string[] args, int signal)
    {
        using var child = new HostileKit.Child(args);
        child.WaitForLine(l => l.StartsWith("Training ", StringComparison.Ordinal), Minutes2);
        Thread.Sleep(100);   // usually into the first batches: a mid-epoch position
        HostileKit.Signal(child.Process, signal);
        return child.WaitForExit(Minutes2);
    }

    static void AssertSaidSo((int Code, string Out, string Err) r, string name, string run)
    {
        string line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($@"^numerics train: interrupted by {name} (at epoch \d+, batch \d+/6|after epoch \d+) \(step \d+\); saved {System.Text.RegularExpressions.Regex.Escape(Path.Combine(run, "last.ckpt"))}; continue with: numerics train --resume ", line);
        Assert.Contains($"{name} received: finishing the current batch", r.Out);
    }

    [Fact]
    public void A_second_signal_exits_at_once_and_the_last_checkpoint_stays_whole()
    {
        using var tmp = new TempDir();
        // 600 samples, batches of 250 (the main job's): a step of tens of ms idle, more under load, so the second signal,
        // sent as soon as the first is acknowledged, lands while the first is being honoured.
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 600, test: 50);
        string run = Path.Combine(tmp.Path, "run");
        (int Code, string Out, string Err) r;
        using (var child = new HostileKit.Child("train", "--data", data, "--batch-size", "250", "--threads", "1", "--out", run, "--epochs", "50"))
        {
            child.WaitForLine(l => l.StartsWith("Epoch 1/50", StringComparison.Ordinal), Minutes2);
            HostileKit.Signal(child.Process, HostileKit.SIGINT);
            child.WaitForLine(l => l.StartsWith("SIGINT received", StringComparison.Ordinal), Minutes2);
            HostileKit.Signal(child.Process, HostileKit.SIGINT);
            r = child.WaitForExit(Minutes2);
        }
        Assert.True(r.Code == 130, $"exit {r.Code}; stderr: {r.Err}");
        string line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("numerics train: second SIGINT: exiting at once without a checkpoint", line);
        Assert.InRange(CheckpointFile.Read(Path.Combine(run, "last.ckpt")).Epoch, 1, 49);   // the epoch-end file, whole
    }

    /// <summary>An output writer that, on each "Epoch N/..." line, checks that last.ckpt on disk already holds epoch N.</summary>
    sealed class EpochLineProbe(string lastCkpt) : StringWriter
    {
        public List<string> Violations { get; } = [];

        public override void WriteLine(string? value)
        {
            if (value is not null && value.StartsWith("Epoch ", StringComparison.Ordinal))
            {
                int n = int.Parse(value[6..value.IndexOf('/')], System.Globalization.CultureInfo.InvariantCulture);
                int? onDisk = File.Exists(lastCkpt) ? CheckpointFile.Read(lastCkpt).Epoch : null;
                if (onDisk != n) Violations.Add($"'{value}' printed while last.ckpt holds epoch {onDisk?.ToString() ?? "none"}");
            }
            base.WriteLine(value);
        }
    }

    [Fact]
    public void The_epoch_line_is_printed_only_after_its_checkpoint_is_on_disk()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string run = Path.Combine(tmp.Path, "run");
        var probe = new EpochLineProbe(Path.Combine(run, "last.ckpt"));
        var err = new StringWriter();
        int code = NetNumerics.Cli.Entry.Run(["train", "--data", data, "--out", run, "--epochs", "3", "--batch-size", "16"], probe, err, ScheduleCommandTests.Services);
        Assert.True(code == 0, err.ToString());
        Assert.Equal(3, probe.ToString().Split('\n').Count(l => l.StartsWith("Epoch ")));
        Assert.Empty(probe.Violations);
        // and history.csv never runs ahead of last.ckpt either: both end at epoch 3
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "history.csv")).Length);
    }
}
