using NetNumerics.Training.Checkpoints;
using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>`train --optimizer sf-sgd|sf-adamw`, `--ema M` and `--swa EPOCH`: what the checkpoint keeps, resume, and how bad flags fail.</summary>
public class AveragedWeightsCliTests
{
    static readonly CliServices Fixture = ScheduleCommandTests.Services;

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, Fixture);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>
    /// 3 epochs straight, and 2 epochs then --resume to 3: the same weights, the same optimizer states (the average, or
    /// Schedule-Free's z, x and scalars) bit for bit; the checkpoint names the wrapped optimizer and keeps the flag.
    /// </summary>
    [Theory]
    [InlineData("sf-adamw", new string[0], "sf-adam")]
    [InlineData("sf-sgd:beta1=0.95", new string[0], "sf-sgd")]
    [InlineData("adam", new[] { "--ema", "0.9" }, "ema-adam")]
    [InlineData("sgd:momentum=0.9", new[] { "--swa", "2" }, "swa-sgd-momentum-keras")]
    [InlineData("adam", new[] { "--lookahead", "3" }, "lookahead-adam")]
    [InlineData("adam", new[] { "--lookahead", "4", "--ema", "0.9" }, "ema-lookahead-adam")]
    [InlineData("adam", new[] { "--lookahead", "k=3,alpha=0.8" }, "lookahead-adam")]
    public void Straight_and_resumed_runs_end_with_the_same_bits(string optimizer, string[] flags, string stateName)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string straight = Path.Combine(tmp.Path, "a"), stopped = Path.Combine(tmp.Path, "b");
        string[] common = ["train", "--data", data, "--lr", "0.01", "--batch-size", "16", "--optimizer", optimizer, "--quiet", .. flags];
        var a = Run([.. common, "--epochs", "3", "--out", straight]);
        Assert.True(a.Code == 0, a.Err);
        var b = Run([.. common, "--epochs", "2", "--out", stopped]);
        Assert.True(b.Code == 0, b.Err);
        var c = Run("train", "--resume", stopped, "--epochs", "3", "--quiet");
        Assert.True(c.Code == 0, c.Err);
        var ca = CheckpointFile.Read(Path.Combine(straight, "last.ckpt"));
        var cb = CheckpointFile.Read(Path.Combine(stopped, "last.ckpt"));
        Assert.Equal(stateName, ca.OptimizerName);
        for (int i = 0; i < ca.Parameters.Count; i++)
        {
            Assert.Equal(ca.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits), cb.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits));
            Assert.True(ca.OptimizerStates[i].BitEquals(cb.OptimizerStates[i]), $"state {i}");
        }
        // test loss and accuracy (at the average) the same; the seconds per epoch after them are wall-clock time
        static string Test(string output) => string.Join(" - ", output.Split('\n').Last(l => l.StartsWith("test_loss", StringComparison.Ordinal)).Split(" - ").Take(2));
        Assert.Equal(Test(a.Out), Test(c.Out));
    }

    [Theory]
    [InlineData("adam", "--ema", "1", "--ema must be a momentum in [0, 1)")]
    [InlineData("adam", "--swa", "0", "--swa must be an epoch >= 1")]
    [InlineData("adam", "--swa", "9", "--swa 9 is after the last epoch (3)")]
    [InlineData("sf-sgd", "--ema", "0.9", "Schedule-Free already evaluates at an average")]
    [InlineData("adam", "--lookahead", "0", "--lookahead must be >= 1")]
    [InlineData("sf-adamw", "--lookahead", "5", "Schedule-Free keeps its own interpolation")]
    [InlineData("adam", "--lookahead", "k=3,alpha=1.5", "--lookahead 'k=3,alpha=1.5': alpha=1.5 is not a number in [0, 1]")]
    [InlineData("adam", "--lookahead", "k=3,beta=0.5", "unknown key 'beta'; allowed: K (an integer >= 1) or key=value pairs")]
    [InlineData("adam", "--lookahead", "k=0", "k=0 is not an integer >= 1")]
    [InlineData("adam", "--lookahead", "k=2,k=3", "key 'k' given twice")]
    public void Bad_averaging_flags_are_one_line_and_exit_2(string optimizer, string flag, string value, string message)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "out");
        var r = Run("train", "--data", data, "--epochs", "3", "--batch-size", "16", "--optimizer", optimizer, flag, value, "--out", outDir);
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing is written for a refused run");
    }

    /// <summary>
    /// `--lookahead K` is `--lookahead k=K,alpha=0.5`: the same checkpoint bytes (and no alpha key in it, as before); another
    /// alpha reaches the optimizer (other weights), is printed in the run's first line and kept in the checkpoint.
    /// </summary>
    [Fact]
    public void Lookahead_alpha_is_printed_saved_and_the_plain_k_form_is_its_default()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string[] common = ["train", "--data", data, "--lr", "0.01", "--batch-size", "16", "--epochs", "2"];
        string plain = Path.Combine(tmp.Path, "plain"), keyed = Path.Combine(tmp.Path, "keyed"), other = Path.Combine(tmp.Path, "other");
        var a = Run([.. common, "--lookahead", "3", "--out", plain]);
        var b = Run([.. common, "--lookahead", "k=3,alpha=0.5", "--out", keyed]);
        var c = Run([.. common, "--lookahead", "alpha=0.25,k=3", "--out", other]);
        Assert.True(a.Code == 0 && b.Code == 0 && c.Code == 0, a.Err + b.Err + c.Err);
        Assert.Contains("adam lookahead k=3,alpha=0.5 lr 0.01", a.Out.Split('\n')[0]);
        Assert.Contains("adam lookahead k=3,alpha=0.25 lr 0.01", c.Out.Split('\n')[0]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "last.ckpt")), File.ReadAllBytes(Path.Combine(keyed, "last.ckpt")));
        var ca = CheckpointFile.Read(Path.Combine(plain, "last.ckpt"));
        var cc = CheckpointFile.Read(Path.Combine(other, "last.ckpt"));
        Assert.False(ca.Metadata.ContainsKey("lookahead_alpha"));
        Assert.Equal("3", cc.Metadata["lookahead"]);
        Assert.Equal("0.25", cc.Metadata["lookahead_alpha"]);
        Assert.NotEqual(ca.Parameters.SelectMany(x => x.Values).Select(BitConverter.SingleToInt32Bits), cc.Parameters.SelectMany(x => x.Values).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Ema_and_swa_together_are_refused()
    {
        var r = Run("train", "--epochs", "3", "--ema", "0.9", "--swa", "1");
        Assert.Equal(2, r.Code);
        Assert.Contains("--ema and --swa cannot be combined", r.Err);
    }
}

/// <summary>`train --no-decay-bias-norm`: rank &lt;= 1 tensors without weight decay, recorded in the checkpoint and kept on --resume.</summary>
public class NoDecayBiasNormCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, ScheduleCommandTests.Services);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void The_flag_routes_biases_to_no_decay_is_saved_and_resumes_bit_identical()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string grouped = Path.Combine(tmp.Path, "g"), plain = Path.Combine(tmp.Path, "p"), stopped = Path.Combine(tmp.Path, "s");
        string[] common = ["train", "--data", data, "--lr", "0.05", "--batch-size", "16", "--optimizer", "adamw:weight_decay=0.5", "--quiet"];
        Assert.Equal(0, Run([.. common, "--epochs", "3", "--out", grouped, "--no-decay-bias-norm"]).Code);
        Assert.Equal(0, Run([.. common, "--epochs", "3", "--out", plain]).Code);
        Assert.Equal(0, Run([.. common, "--epochs", "2", "--out", stopped, "--no-decay-bias-norm"]).Code);
        var resumed = Run("train", "--resume", stopped, "--epochs", "3", "--quiet");
        Assert.True(resumed.Code == 0, resumed.Err);

        var g = CheckpointFile.Read(Path.Combine(grouped, "last.ckpt"));
        var p = CheckpointFile.Read(Path.Combine(plain, "last.ckpt"));
        var s = CheckpointFile.Read(Path.Combine(stopped, "last.ckpt"));
        Assert.Equal("1", g.Metadata["no_decay_bias_norm"]);
        Assert.Contains("=no_decay_bias_norm", g.Metadata[NetNumerics.Training.Trainer.GroupsMetadataKey]);
        Assert.False(p.Metadata.ContainsKey(NetNumerics.Training.Trainer.GroupsMetadataKey));
        for (int i = 0; i < g.Parameters.Count; i++)
            Assert.Equal(g.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits), s.Parameters[i].Values.Select(BitConverter.SingleToInt32Bits));
        // weight decay 0.5 on the biases or not: the runs differ
        Assert.NotEqual(g.Parameters.SelectMany(x => x.Values).Select(BitConverter.SingleToInt32Bits), p.Parameters.SelectMany(x => x.Values).Select(BitConverter.SingleToInt32Bits));
    }
}
