using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using NetNumerics.Training.Checkpoints;
using Xunit;

namespace NetNumerics.Properties.Cli;

/// <summary>`train --no-winograd`: the seed CNN's conv2 by im2col + GEMM instead of Winograd, recorded in the checkpoint and
/// kept on --resume (the library's own model factory on MNIST-shaped data, so conv2 is one Winograd takes).</summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class NoWinogradCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Entry.Run(args, o, e, CliServices.Default);
        return (code, o.ToString(), e.ToString());
    }

    static IEnumerable<int> Bits(TrainingCheckpoint c) => c.Parameters.SelectMany(p => p.Values).Select(BitConverter.SingleToInt32Bits);

    [Fact]
    public void The_flag_runs_the_direct_conv_is_saved_and_resumes_bit_identical()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 150, test: 20);
        string wino = Path.Combine(tmp.Path, "w"), direct = Path.Combine(tmp.Path, "d"), stopped = Path.Combine(tmp.Path, "s");
        string[] common = ["train", "--data", data, "--batch-size", "40", "--threads", "1", "--quiet"];
        foreach (var (args, what) in new[] { ((string[])[.. common, "--epochs", "2", "--out", wino], "Winograd run"),
                     ([.. common, "--epochs", "2", "--out", direct, "--no-winograd"], "direct run"),
                     ([.. common, "--epochs", "1", "--out", stopped, "--no-winograd"], "direct run, 1 epoch"),
                     (["train", "--resume", stopped, "--epochs", "2", "--quiet"], "resumed direct run") })
        {
            var r = Run(args);
            Assert.True(r.Code == 0, $"{what}: exit {r.Code}: {r.Err}");
        }
        var w = CheckpointFile.Read(Path.Combine(wino, "last.ckpt"));
        var d = CheckpointFile.Read(Path.Combine(direct, "last.ckpt"));
        var s = CheckpointFile.Read(Path.Combine(stopped, "last.ckpt"));
        Assert.Equal("1", d.Metadata["no_winograd"]);
        Assert.False(w.Metadata.ContainsKey("no_winograd"));
        Assert.Equal(Bits(d), Bits(s));      // the resumed run kept the direct conv
        Assert.NotEqual(Bits(w), Bits(d));   // and the two algorithms round differently
    }

    [Fact]
    public void The_flag_cannot_be_given_with_resume()
    {
        using var tmp = new TempDir();
        var r = Run("train", "--resume", Path.Combine(tmp.Path, "none"), "--no-winograd");
        Assert.Equal(2, r.Code);
        Assert.Contains("--no-winograd cannot be combined with --resume", r.Err);
    }
}
