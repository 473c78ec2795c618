using NetNumerics.Training.Checkpoints;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #2: a write that fails (disk full, read-only file system, an --out under a file, an empty --out) is one
/// line naming the file and why, a non-zero exit, the previous checkpoint intact and no temporary file left behind.
/// The faults are real: a tmpfs mounted by the test (it runs as root here), filled or remounted read-only; without
/// mount rights the same runs use the built program with RLIMIT_FSIZE as the full disk.
/// </summary>
public class DiskFaultTests
{
    static string[] Train(string data, params string[] more) =>
        ["train", "--data", data, "--batch-size", "16", "--lr", "0.05", "--optimizer", "sgd", "--quiet", .. more];

    [Theory]
    [InlineData("full")]
    [InlineData("read-only")]
    public void A_write_failure_mid_run_is_one_line_naming_the_file_and_the_previous_checkpoint_survives(string fault)
    {
        using var tmp = new TempDir();
        using var disk = ScratchDisk.TryMount(Path.Combine(tmp.Path, "disk"), "1m");
        string run = Path.Combine(disk?.Path ?? tmp.Path, "run");
        (int Code, string Out, string Err) r;
        byte[] before;
        if (disk is not null)
        {
            string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
            Assert.Equal(0, HostileKit.Run(Train(data, "--out", run, "--epochs", "1")).Code);
            before = File.ReadAllBytes(Path.Combine(run, "last.ckpt"));
            if (fault == "full") disk.Fill(); else disk.RemountReadOnly();
            r = HostileKit.Run("train", "--resume", run, "--epochs", "3", "--quiet");
        }
        else   // no mount rights: the built program (the seed CNN, MNIST-shaped data) under a file-size limit instead
        {
            string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 100, test: 20);
            Assert.Equal(0, HostileKit.RunChild(TimeSpan.FromMinutes(2), Train(data, "--out", run, "--epochs", "1")).Code);
            before = File.ReadAllBytes(Path.Combine(run, "last.ckpt"));
            r = FileSizeLimited("train", "--resume", run, "--epochs", "3", "--quiet");
        }

        string line = HostileKit.OneLineFailure(r, 1);
        Assert.Contains(Path.Combine(run, "last.ckpt"), line);
        Assert.Matches(disk is null ? "file too large" : fault == "full" ? "no space left on device" : "read-only file system", line);
        Assert.Contains("the previous last.ckpt is intact", line);
        Assert.Contains("after epoch 1", line);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "last.ckpt")));
        Assert.Equal(1, CheckpointFile.Read(Path.Combine(run, "last.ckpt")).Epoch);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    /// <summary>The built program under RLIMIT_FSIZE = 512 bytes with SIGXFSZ ignored: writes past it fail with EFBIG.</summary>
    static (int, string, string) FileSizeLimited(params string[] args)
    {
        string numerics = Path.Combine(AppContext.BaseDirectory, "numerics.dll");
        var (code, output) = HostileKit.Shell("sh", ["-c", "trap '' XFSZ; ulimit -f 1; exec dotnet \"$@\"", "sh", numerics, .. args]);
        return (code, "", output);
    }

    [Fact]
    public void A_fresh_run_on_a_read_only_file_system_fails_in_one_line_before_training()
    {
        using var tmp = new TempDir();
        using var disk = ScratchDisk.TryMount(Path.Combine(tmp.Path, "disk"), "64k");
        if (disk is null)   // no mount rights: the built program under a file-size limit fails its first write instead
        {
            string mnist = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 100, test: 20);
            string fallback = HostileKit.OneLineFailure(FileSizeLimited(Train(mnist, "--out", Path.Combine(tmp.Path, "run"), "--epochs", "1")), 1);
            Assert.Contains("file too large", fallback);
            Assert.Contains("no checkpoint was written", fallback);
            return;
        }
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        disk.RemountReadOnly();
        string run = Path.Combine(disk.Path, "run");
        string line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, "--out", run, "--epochs", "1")), 1);
        Assert.Contains($"cannot create the output folder {run}: read-only file system", line);
    }

    [Fact]
    public void An_out_folder_under_a_file_or_an_empty_out_is_a_one_line_usage_error()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string file = Path.Combine(tmp.Path, "afile");
        File.WriteAllText(file, "mine");
        string line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, "--out", Path.Combine(file, "sub"), "--epochs", "1")), 2);
        Assert.Contains($"{file} is a file, not a folder", line);
        Assert.Equal("mine", File.ReadAllText(file));

        line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, "--out", "", "--epochs", "1")), 2);
        Assert.Contains("--out is empty", line);
    }
}
