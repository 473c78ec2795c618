using NetNumerics.Training.Checkpoints;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>
/// Issue #5, divergence: `numerics train` (default services: the Fast CNN) stops at the first non-finite loss or
/// gradient, before applying it, with one stderr line naming the epoch, batch, step and parameter, exit code 1, and
/// keeps the checkpoint of the last completed epoch. Plain SGD is used because it does blow up at a huge rate
/// (Adam's steps are bounded by the rate itself, and at 1e6 its losses reach 1e29 yet stay finite).
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class DivergenceTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = Entry.Run(args, o, e, CliServices.Default);
        return (code, o.ToString(), e.ToString());
    }

    // 300 MNIST-shaped samples: 240 train in 6 batches of 40, 60 validation.
    static string[] Args(string data, string outDir, params string[] more) =>
        ["train", "--data", data, "--out", outDir, "--epochs", "4", "--batch-size", "40", "--optimizer", "sgd", .. more];

    [Fact]
    public void A_learning_rate_spike_to_1e6_stops_the_run_naming_where_exits_1_and_keeps_the_last_good_checkpoint()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 300, test: 50);
        string outDir = Path.Combine(tmp.Path, "run");
        // Epoch 1 at 0.05, then 1e6 (Keras PiecewiseConstantDecay: values[0] while epoch <= 0).
        var (code, _, err) = Run(Args(data, outDir, "--schedule", "piecewise:boundaries=0,values=0.05/1e6"));

        Assert.Equal(1, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^numerics train: diverged: TerminateOnNaN: epoch 2, batch \d/6 \(step \d+\): .*gradient of 'layer\d+\.\w+\.\w+' is (NaN|-?∞|-?Infinity) at index \d+; the update was not applied\.", line);
        Assert.Contains($"the last good checkpoint is {Path.Combine(outDir, "last.ckpt")} (after epoch 1); it was not overwritten.", line);

        foreach (var name in new[] { "last.ckpt", "best.ckpt" })
        {
            var ck = CheckpointFile.Read(Path.Combine(outDir, name));   // whole, checksummed, loadable
            Assert.Equal((1, 0, 6L, false), (ck.Epoch, ck.Batch, ck.Iteration, ck.Stopped));
            Assert.All(ck.Parameters, p => Assert.All(p.Values, v => Assert.True(float.IsFinite(v), $"{p.Name} has {v}")));
            Assert.True(double.IsFinite(Assert.Single(ck.History).Loss));
        }
        Assert.Contains("NaN", File.ReadAllLines(Path.Combine(outDir, "history.csv"))[2]);   // the cut-short epoch is logged

        // Resuming from the kept checkpoint is the same deterministic run: it diverges at the same step, same words.
        var again = Run("train", "--resume", outDir, "--quiet");
        Assert.Equal(1, again.Code);
        Assert.Equal(line, again.Err.Trim());
    }

    [Fact]
    public void Diverging_in_the_first_epoch_says_no_checkpoint_was_written_and_no_terminate_on_nan_trains_on()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 300, test: 50);
        string first = Path.Combine(tmp.Path, "first"), onward = Path.Combine(tmp.Path, "onward");

        var (code, _, err) = Run(Args(data, first, "--lr", "1e6"));
        Assert.Equal(1, code);
        Assert.Matches(@"^numerics train: diverged: TerminateOnNaN: epoch 1, batch \d/6 \(step \d+\): .*'layer.*; the update was not applied\. "
            + @"Training stopped; no epoch completed, so no checkpoint was written\.$", err.Trim());
        Assert.False(File.Exists(Path.Combine(first, "last.ckpt")));

        var (code2, out2, err2) = Run(Args(data, onward, "--lr", "1e6", "--no-terminate-on-nan"));
        Assert.True(code2 == 0, err2);
        Assert.Equal("", err2);
        var rows = File.ReadAllLines(Path.Combine(onward, "history.csv")).Skip(1).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Contains(rows, r => r.Contains("NaN"));
        Assert.Contains("test_loss: NaN", out2);
    }
}
