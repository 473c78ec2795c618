using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #11 and #23: numbers in every option are read invariantly and strictly (a comma is never a thousands
/// separator: `--lr 0,001` used to train at lr 1, `--clip-norm 1,5` at 15), and an unknown command is named with the
/// nearest one and a non-zero exit.
/// </summary>
public class StrictNumberTests
{
    [Theory]
    [InlineData("train", "--lr", "0,001")]
    [InlineData("train", "--clip-norm", "1,5")]
    [InlineData("train", "--validation-split", "0,2")]
    [InlineData("train", "--epochs", "1,000")]
    [InlineData("train", "--seed", "1_000")]
    [InlineData("train", "--lr", "1e-3x")]
    [InlineData("train", "--lr", "∞")]
    [InlineData("train", "--lr", " 0.1")]
    [InlineData("compare", "--validation-split", "0,2")]
    [InlineData("compare", "--target", "0,98")]
    [InlineData("lr-find", "--start", "1e-7,")]
    [InlineData("schedule", "--lr", "0,1")]
    public void A_number_that_is_not_plain_invariant_notation_is_refused_naming_the_flag(string command, string flag, string value)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string outDir = Path.Combine(tmp.Path, "out");
        string[] args = command switch
        {
            "compare" => ["compare", "fixed-lr", "--data", data, "--epochs", "1", "--out", outDir, flag, value],
            "schedule" => ["schedule", "--out", outDir, flag, value],
            _ => [command, "--data", data, "--out", outDir, "--epochs", "1", flag, value],
        };
        if (command == "train" && flag == "--epochs") args = ["train", "--data", data, "--out", outDir, flag, value];
        string line = HostileKit.OneLineFailure(HostileKit.Run(args), 2);
        Assert.Contains(flag, line);
        Assert.Contains(value.Trim(), line);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("0.001", 0.001)]
    [InlineData("1e-3", 0.001)]
    [InlineData("1E-3", 0.001)]
    [InlineData(".5", 0.5)]
    [InlineData("2.", 2.0)]
    [InlineData("+0.25", 0.25)]
    public void Plain_invariant_numbers_are_read_exactly(string text, double value)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string run = Path.Combine(tmp.Path, "run");
        var r = HostileKit.Run("train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "16", "--lr", text, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(value, NetNumerics.Training.Checkpoints.CheckpointFile.Read(Path.Combine(run, "last.ckpt")).LearningRate);
    }

    [Fact]
    public void An_unknown_command_is_named_with_the_nearest_one_and_a_nonzero_exit()
    {
        var r = HostileKit.Run("trian", "--epochs", "1");
        string line = HostileKit.OneLineFailure(r, 2);
        Assert.Contains("unknown command 'trian'", line);
        Assert.Contains("did you mean 'train'", line);
        Assert.Equal("", r.Out);

        r = HostileKit.Run("export", "--help");
        line = HostileKit.OneLineFailure(r, 2);
        Assert.Contains("unknown command 'export'", line);
        Assert.Contains("train, compare, lr-find, schedule, bench", line);
        Assert.Equal("", r.Out);   // not the root help

        Assert.Contains("did you mean 'lr-find'", HostileKit.OneLineFailure(HostileKit.Run("lrfind"), 2));
    }
}
