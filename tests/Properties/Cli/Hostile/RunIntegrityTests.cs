using NetNumerics.Training.Checkpoints;
using NetNumerics.Nn;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #13-#16, #18, #22: what used to be accepted silently. A checkpoint is checked for sense, not only for
/// its checksum (positions, counts, per-tensor steps, settings, NaN weights); resuming a finished run says so; compare
/// fails when its configurations fail; stray temporary files are cleaned and named; identical runs write identical
/// bytes (timing is kept apart, in timing.csv); headers give counts, not rounded fractions.
/// </summary>
public class RunIntegrityTests
{
    static string Data(TempDir tmp) => TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));

    static string Run(TempDir tmp, string name, int epochs, params string[] more)
    {
        string run = Path.Combine(tmp.Path, name);
        var r = HostileKit.Run(["train", "--data", Path.Combine(tmp.Path, "idx"), "--out", run, "--epochs", $"{epochs}", "--batch-size", "16", "--lr", "0.05", "--quiet", .. more]);
        Assert.True(r.Code == 0, r.Err);
        return run;
    }

    static string Resume(string run, params string[] more) =>
        HostileKit.OneLineFailure(HostileKit.Run(["train", "--resume", run, "--quiet", .. more]), 2);

    // ---- #15, #14: checkpoints with a valid checksum and impossible content -----------------------------------

    public static TheoryData<string, string> Impossible => new()
    {
        { "batch 999 of a 10-batch epoch", "at batch 999 of an epoch that has 10 batches" },
        { "epoch 1,000,000", "at epoch 1000000" },
        { "running sums of 5 samples", "count 5 samples" },
        { "one tensor a step ahead", "has step" },
        { "per_iteration garbage", "per_iteration = 'yes'" },
        { "NaN weights", "holds 160 NaN or infinite values of 160" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void A_checksum_valid_checkpoint_with_impossible_content_is_refused_naming_what(string what, string said)
    {
        using var tmp = new TempDir();
        Data(tmp);
        string run = Run(tmp, "run", 1);
        string last = Path.Combine(run, "last.ckpt");
        HostileKit.Rewrite(last, c => what switch
        {
            "batch 999 of a 10-batch epoch" => HostileKit.With(c, batch: 999),
            "epoch 1,000,000" => HostileKit.With(c, epoch: 1_000_000),
            "running sums of 5 samples" => HostileKit.With(c, batch: 3, iteration: c.Iteration + 3, running: new BatchResult(1.5, 2, 5),
                states: c.OptimizerStates.Select(s => { var t = s.Clone(); t.Step += 3; return t; }).ToArray()),
            "one tensor a step ahead" => HostileKit.With(c, states: c.OptimizerStates.Select((s, i) => { var t = s.Clone(); if (i == 1) t.Step++; return t; }).ToArray()),
            "per_iteration garbage" => HostileKit.With(c, metadata: new Dictionary<string, string>(c.Metadata) { ["per_iteration"] = "yes" }),
            _ => HostileKit.With(c, parameters: c.Parameters.Select((p, i) => i == 0 ? p with { Values = p.Values.Select(_ => float.NaN).ToArray() } : p).ToArray()),
        });
        string line = Resume(run, "--epochs", "3");
        Assert.True(line.Contains(said, StringComparison.Ordinal), line);
    }

    [Fact]
    public void Resuming_a_finished_run_says_it_is_finished_instead_of_doing_nothing()
    {
        using var tmp = new TempDir();
        Data(tmp);
        string run = Run(tmp, "run", 3);
        byte[] before = File.ReadAllBytes(Path.Combine(run, "last.ckpt"));
        Assert.Contains("has already completed 3 epochs; give --epochs more than 3", Resume(run, "--epochs", "1"));
        Assert.Contains("finished all 3 of its epochs", Resume(run));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "last.ckpt")));
        var more = HostileKit.Run("train", "--resume", run, "--epochs", "4", "--quiet");
        Assert.True(more.Code == 0, more.Err);
        Assert.Equal(4, CheckpointFile.Read(Path.Combine(run, "last.ckpt")).Epoch);
    }

    // ---- #18: stray temporary files --------------------------------------------------------------------------

    /// <summary>The name AtomicFile gives a temporary file, for a process id that cannot be running.</summary>
    static string StrayName(string target) => $".{target}.2147483646.{Guid.NewGuid():N}.tmp";

    [Fact]
    public void A_folder_holding_only_a_temporary_file_of_a_killed_write_is_reusable_and_the_file_is_named()
    {
        using var tmp = new TempDir();
        string data = Data(tmp);
        string run = Path.Combine(tmp.Path, "run");
        Directory.CreateDirectory(run);
        string stray = StrayName("history.csv");
        File.WriteAllBytes(Path.Combine(run, stray), []);

        // --resume there: no checkpoint, and the message says the folder is now empty and how to start again
        string line = Resume(run);
        Assert.Contains("there is no last.ckpt", line);
        Assert.False(File.Exists(Path.Combine(run, stray)));

        File.WriteAllBytes(Path.Combine(run, stray), []);
        var r = HostileKit.Run("train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "16", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains(stray, r.Out);
        Assert.False(File.Exists(Path.Combine(run, stray)));
    }

    [Fact]
    public void A_successful_resume_removes_stray_checkpoint_temporaries_and_says_so()
    {
        using var tmp = new TempDir();
        Data(tmp);
        string run = Run(tmp, "run", 1);
        string stray = StrayName("last.ckpt");
        File.WriteAllBytes(Path.Combine(run, stray), new byte[2 << 20]);
        var r = HostileKit.Run("train", "--resume", run, "--epochs", "2", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains(stray, r.Out);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    // ---- #22: identical runs share bytes; headers give counts -------------------------------------------------

    [Fact]
    public void Two_identical_runs_write_byte_identical_checkpoints_and_histories()
    {
        using var tmp = new TempDir();
        Data(tmp);
        string a = Run(tmp, "a", 3), b = Run(tmp, "b", 3);
        foreach (var f in new[] { "last.ckpt", "best.ckpt", "history.csv", "history.json" })
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs");
        Assert.Equal(4, File.ReadAllLines(Path.Combine(a, "timing.csv")).Length);   // the seconds live here
    }

    [Fact]
    public void Headers_count_the_held_out_samples_instead_of_rounding_the_fraction()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"), train: 1000, test: 20);
        // split 0.996 of 1000: floor(1000 * 0.004) = 4 train, 996 held out ("0.996" rounded to two places would read "1")
        var t = HostileKit.Run("train", "--data", data, "--out", Path.Combine(tmp.Path, "t"), "--epochs", "1", "--batch-size", "16", "--validation-split", "0.996");
        Assert.True(t.Code == 0, t.Err);
        Assert.Contains("on 1000 samples (996 held out for validation)", t.Out);
        var c = HostileKit.Run("compare", "fixed-lr", "--data", data, "--out", Path.Combine(tmp.Path, "c"), "--epochs", "1", "--batch-size", "16", "--validation-split", "0.996");
        Assert.True(c.Code == 0, c.Err);
        Assert.Contains("on 1000 samples (996 held out)", c.Out);
        Assert.Contains("1000 training samples, 996 of them held out", File.ReadAllText(Path.Combine(tmp.Path, "c", "results.md")));
    }

    // ---- #13: compare fails when its configurations fail ------------------------------------------------------

    [Fact]
    public void Compare_exits_nonzero_when_every_configuration_diverged()
    {
        using var tmp = new TempDir();
        string data = Data(tmp);
        string file = Path.Combine(tmp.Path, "suite.txt");
        // rate 1e308 per iteration: lr 1e307 at the second batch leaves the weights infinite in both configurations
        File.WriteAllLines(file, ["a; --optimizer sgd --lr 0.1 --schedule exp:steps=1,rate=1e308 --schedule-per-iteration",
                                  "b; --optimizer adam --lr 0.1 --schedule exp:steps=1,rate=1e308 --schedule-per-iteration"]);
        var r = HostileKit.Run("compare", file, "--data", data, "--out", Path.Combine(tmp.Path, "c"), "--epochs", "1", "--batch-size", "16", "--quiet");
        string line = HostileKit.OneLineFailure(r, 1);
        Assert.Contains("2 of 2 configurations diverged", line);
    }
}
