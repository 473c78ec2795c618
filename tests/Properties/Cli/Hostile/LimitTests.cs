using System.Buffers.Binary;
using System.IO.Compression;
using NetNumerics.Cli;
using NetNumerics.Data;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #3, #4, #7, #8, #9, #12, #20, #21: sizes at and past the limits. Too few samples or an empty test set are
/// refused before anything is written; a batch larger than the data is the whole data; a schedule that leaves
/// [0, finite] during the run is refused up front; huge --steps are bounded; a gzip file is read with memory following
/// what is kept, and a truncated one is refused before it is decompressed; errors are one line, however long the input.
/// </summary>
public class LimitTests
{
    static string[] Train(string data, string outDir, params string[] more) =>
        ["train", "--data", data, "--out", outDir, "--epochs", "1", "--batch-size", "16", "--quiet", .. more];

    [Theory]
    [InlineData(200, "--train-limit", "1", "--train-limit 1")]
    [InlineData(200, "--validation-split", "0.9999", "--validation-split 0.9999")]
    [InlineData(1, "--quiet", null, "holds 1 training sample")]
    [InlineData(0, "--quiet", null, "holds 0 training samples")]
    public void Too_few_training_samples_are_a_one_line_error_before_any_folder_is_made(int train, string flag, string? value, string said)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"), train: train, test: 10);
        string run = Path.Combine(tmp.Path, "run");
        string line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, run, value is null ? [flag] : [flag, value])), 2);
        Assert.Contains(said, line);
        Assert.Contains("none is left to train on", line);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void An_empty_test_set_is_a_one_line_error_not_an_accuracy_of_0_of_0()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"), train: 100, test: 0);
        string run = Path.Combine(tmp.Path, "run");
        string line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, run)), 2);
        Assert.Contains("the test set holds 0 samples", line);
        Assert.False(Directory.Exists(run));
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("1000000")]
    public void A_batch_larger_than_the_data_is_the_whole_data_for_the_seed_cnn(string batch)
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 60, test: 10);
        string run = Path.Combine(tmp.Path, "run");
        var r = HostileKit.Run(CliServices.Default, "train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", batch, "--threads", "1", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        var ck = NetNumerics.Training.Checkpoints.CheckpointFile.Read(Path.Combine(run, "last.ckpt"));
        Assert.Equal((1, 1L), (ck.Epoch, ck.Iteration));   // one batch of all 48 training samples
    }

    [Fact]
    public void Compare_with_a_batch_larger_than_the_data_runs_instead_of_a_negative_length()
    {
        using var tmp = new TempDir();
        string data = IdxTestData.WriteMnistShaped(Path.Combine(tmp.Path, "idx"), train: 60, test: 10);
        string file = Path.Combine(tmp.Path, "suite.txt");
        File.WriteAllLines(file, ["one; --optimizer sgd --lr 0.1"]);
        var r = HostileKit.Run(CliServices.Default, "compare", file, "--data", data, "--out", Path.Combine(tmp.Path, "cmp"), "--epochs", "1",
            "--batch-size", "2000000", "--threads", "1", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void A_schedule_that_overflows_during_the_run_is_refused_before_training()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string run = Path.Combine(tmp.Path, "run");
        string line = HostileKit.OneLineFailure(HostileKit.Run(Train(data, run, "--schedule", "exp:steps=1,rate=1e308", "--schedule-per-iteration")), 2);
        Assert.Matches(@"--schedule 'exp:steps=1,rate=1e308' gives learning rate Infinity at iteration 2 of the run's 10 iterations", line);
        Assert.False(Directory.Exists(run));
    }

    [Theory]
    [InlineData("lr-find", "2147483647", "--steps must be in [2, 100000]")]
    [InlineData("schedule", "2147483647", "--steps must be at most 1000000")]
    [InlineData("schedule", "300000000", "--steps must be at most 1000000")]
    public void Huge_step_counts_are_bounded_with_a_clear_message(string command, string steps, string said)
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string[] args = command == "lr-find" ? ["lr-find", "--data", data, "--steps", steps, "--batch-size", "16"] : ["schedule", "--steps", steps];
        long before = GC.GetAllocatedBytesForCurrentThread();
        string line = HostileKit.OneLineFailure(HostileKit.Run([.. args, "--out", Path.Combine(tmp.Path, "out")]), 2);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "allocated too much");
        Assert.Contains(said, line);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "out")));
    }

    [Fact]
    public void A_range_test_whose_ratio_overflows_names_both_flags_in_one_line()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string line = HostileKit.OneLineFailure(HostileKit.Run("lr-find", "--data", data, "--start", "1e-300", "--end", "1e300", "--batch-size", "16", "--out", Path.Combine(tmp.Path, "o")), 2);
        Assert.Contains("--end", line);
        Assert.Contains("--start", line);
    }

    [Fact]
    public void Schedule_errors_are_one_short_line_however_long_the_input()
    {
        string huge = "step:" + string.Join(",", Enumerable.Range(0, 8000).Select(i => $"k{i}=1"));   // ~80 KB
        string line = HostileKit.OneLineFailure(HostileKit.Run("schedule", "--schedule", huge, "--steps", "10"), 2);
        Assert.True(line.Length < 1000, $"{line.Length} characters");
        Assert.Contains("(", line);

        line = HostileKit.OneLineFailure(HostileKit.Run("schedule", "--schedule", "step:drop=0", "--steps", "10"), 2);   // a range error
        Assert.Contains("drop", line);
        Assert.DoesNotContain("Actual value", line);
        Assert.DoesNotContain("(Parameter", line);
    }

    // ---- gzip: limits while streaming, sizes checked against the header before decompressing ---------------

    /// <summary>IDX images of n blank 28x28 images, gzip-compressed as it is written (about 157 MB raw for 200,000: 150 KB gzipped).</summary>
    static void WriteBlankGzipImages(string path, int n)
    {
        using var f = File.Create(path);
        using var g = new GZipStream(f, CompressionLevel.Fastest);
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
        g.Write(header);
        var zeros = new byte[784 * 1000];
        for (int i = 0; i < n / 1000; i++) g.Write(zeros);
    }

    static string BlankMnist(string dir, int n)
    {
        Directory.CreateDirectory(dir);
        WriteBlankGzipImages(Path.Combine(dir, MnistFolder.TrainImages + ".gz"), n);
        IdxTestData.WriteIdx(Path.Combine(dir, MnistFolder.TrainLabels), null, n, (i, _) => (byte)(i % 10), 1);
        IdxTestData.WriteIdx(Path.Combine(dir, MnistFolder.TestImages), [28, 28], 20, (i, j) => 0, 784);
        IdxTestData.WriteIdx(Path.Combine(dir, MnistFolder.TestLabels), null, 20, (i, _) => (byte)(i % 10), 1);
        return dir;
    }

    [Fact]
    public void A_train_limit_applies_while_a_large_gzip_file_is_read()
    {
        using var tmp = new TempDir();
        string data = BlankMnist(Path.Combine(tmp.Path, "idx"), 200_000);   // 157 MB of pixels, 627 MB as floats
        string run = Path.Combine(tmp.Path, "run");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = HostileKit.Run("train", "--data", data, "--train-limit", "3000", "--test-limit", "10", "--epochs", "1", "--batch-size", "250", "--out", run, "--quiet");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(2400, NetNumerics.Training.Checkpoints.CheckpointFile.Read(Path.Combine(run, "last.ckpt")).TrainCount);
        // 3000 x 784 floats = 9.4 MB are kept (the rest is decompressed in 64 KiB blocks and dropped); the tiny model's
        // training, checkpoints and plots add a few MB. Reading everything first would take 157 MB + 627 MB.
        Assert.True(allocated < 96 << 20, $"allocated {allocated / (1 << 20)} MiB to keep 9 MiB");
    }

    [Fact]
    public void A_gzip_file_truncated_by_one_byte_is_refused_before_it_is_decompressed()
    {
        using var tmp = new TempDir();
        string data = BlankMnist(Path.Combine(tmp.Path, "idx"), 200_000);
        string gz = Path.Combine(data, MnistFolder.TrainImages + ".gz");
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..^1]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(gz));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(gz, e.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated / (1 << 20)} MiB before refusing");
    }
}
