using NetNumerics.Cli;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #14 (last part): Adam at --lr 1e6 on the seed CNN keeps every loss finite (its steps are bounded by the rate)
/// while the loss explodes past 1e20: not a NaN, so the run goes on, but it warns once on stderr.
/// </summary>
[Collection(CnnTraining.Collection)]   // one CNN training at a time: each already uses both cores
public class ExplodingLossTests
{
    [Fact]
    public void A_loss_that_explodes_but_stays_finite_is_warned_about_once()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 100, test: 20);
        var r = HostileKit.Run(CliServices.Default, "train", "--data", data, "--out", Path.Combine(tmp.Path, "run"), "--epochs", "1", "--batch-size", "40", "--threads", "1",
            "--lr", "1e6", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        string line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^numerics train: warning: the training loss of epoch \d is [0-9.]+E\+\d+, over 100x the 2\.30 of an untrained model \(ln 10 classes\)", line);
    }
}
