using System.Buffers.Binary;
using System.IO.Compression;
using NetNumerics.Data;
using NetNumerics.Properties.Training;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// Issue 14 #5, #6, #10, #19: checkpoints and data files that are not regular files (a symlink to /dev/zero, a FIFO
/// with no writer, a symlink loop) are refused in one line, at once, with bounded memory; a checksum-valid checkpoint
/// with an absurd setting names it; a gzip file with a damaged CRC or length says so.
/// </summary>
public class OddFileTests
{
    static readonly TimeSpan Seconds30 = TimeSpan.FromSeconds(30);

    /// <summary>A finished 1-epoch run of the tiny model in DIR/run; returns the run folder.</summary>
    static string FinishedRun(TempDir tmp, int epochs = 1)
    {
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string run = Path.Combine(tmp.Path, "run");
        var r = HostileKit.Run("train", "--data", data, "--out", run, "--epochs", $"{epochs}", "--batch-size", "16", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        return run;
    }

    static (int Code, string Out, string Err) Resume(string run, int epochs = 2) =>
        HostileKit.Run("train", "--resume", run, "--epochs", $"{epochs}", "--quiet");

    [Fact]
    public void A_checkpoint_that_links_to_dev_zero_is_refused_at_once_without_reading_it()
    {
        using var tmp = new TempDir();
        string run = FinishedRun(tmp);
        string last = Path.Combine(run, "last.ckpt");
        File.Delete(last);
        File.CreateSymbolicLink(last, "/dev/zero");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = Resume(run);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        string line = HostileKit.OneLineFailure(r, 2);
        Assert.Contains(last, line);
        Assert.Contains("not a regular file", line);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_checkpoint_that_is_a_fifo_with_no_writer_is_refused_without_hanging()
    {
        using var tmp = new TempDir();
        string run = FinishedRun(tmp);
        string last = Path.Combine(run, "last.ckpt");
        File.Delete(last);
        HostileKit.Fifo(last);
        var r = HostileKit.WithinTime(Seconds30, () => Resume(run), unblock: () => { using var w = new FileStream(last, FileMode.Open, FileAccess.Write); });
        string line = HostileKit.OneLineFailure(r, 2);
        Assert.Contains(last, line);
        Assert.Contains("not a regular file", line);
    }

    [Fact]
    public void A_fifo_in_the_data_folder_is_refused_without_hanging()
    {
        using var tmp = new TempDir();
        string data = TrainCommandTests.WriteDataset(Path.Combine(tmp.Path, "idx"));
        string images = Path.Combine(data, MnistFolder.TrainImages);
        File.Delete(images);
        HostileKit.Fifo(images);
        string run = Path.Combine(tmp.Path, "run");
        var r = HostileKit.WithinTime(Seconds30, () => HostileKit.Run("train", "--data", data, "--out", run, "--epochs", "1", "--quiet"),
            unblock: () => { using var w = new FileStream(images, FileMode.Open, FileAccess.Write); });
        string line = HostileKit.OneLineFailure(r, 2);
        Assert.Contains(images, line);
        Assert.Contains("not a regular file", line);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void A_self_symlink_as_checkpoint_or_data_file_is_named_as_a_loop()
    {
        using var tmp = new TempDir();
        string run = FinishedRun(tmp);
        string last = Path.Combine(run, "last.ckpt");
        File.Delete(last);
        File.CreateSymbolicLink(last, last);
        string line = HostileKit.OneLineFailure(Resume(run), 2);
        Assert.Contains(last, line);
        Assert.Contains("symbolic link that loops", line);

        string data = Path.Combine(tmp.Path, "idx");
        string labels = Path.Combine(data, MnistFolder.TrainLabels);
        File.Delete(labels);
        File.CreateSymbolicLink(labels, labels);
        line = HostileKit.OneLineFailure(HostileKit.Run("train", "--data", data, "--out", Path.Combine(tmp.Path, "run2"), "--epochs", "1"), 2);
        Assert.Contains(labels, line);
        Assert.Contains("symbolic link that loops", line);
    }

    [Theory]
    [InlineData("epochs", "99999999999")]
    [InlineData("batch_size", "-4")]
    [InlineData("lr", "1,5")]
    [InlineData("seed", "12abc")]
    public void A_checksum_valid_checkpoint_with_an_absurd_setting_names_it(string key, string value)
    {
        using var tmp = new TempDir();
        string run = FinishedRun(tmp);
        HostileKit.Rewrite(Path.Combine(run, "last.ckpt"), c =>
            HostileKit.With(c, metadata: new Dictionary<string, string>(c.Metadata) { [key] = value }));
        string line = HostileKit.OneLineFailure(Resume(run), 2);
        Assert.Contains($"{key} = '{value}'", line);
    }

    // ---- gzip ---------------------------------------------------------------------------------------

    static byte[] Gzip(byte[] raw)
    {
        using var m = new MemoryStream();
        using (var g = new GZipStream(m, CompressionLevel.Fastest)) g.Write(raw);
        return m.ToArray();
    }

    static byte[] Labels(int n)
    {
        var b = new byte[8 + n];
        BinaryPrimitives.WriteInt32BigEndian(b, IdxReader.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), n);
        return b;
    }

    [Theory]
    [InlineData(8, "CRC-32")]    // the trailer's CRC-32 (first of its 8 bytes)
    [InlineData(4, "decompresses to")]   // the trailer's ISIZE
    public void A_damaged_gzip_trailer_is_reported_as_such_not_as_an_unsupported_compression_method(int fromEnd, string said)
    {
        using var tmp = new TempDir();
        string path = Path.Combine(tmp.Path, "labels.gz");
        var g = Gzip(Labels(1000));
        g[^fromEnd] ^= 0x5a;
        File.WriteAllBytes(path, g);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(said, e.Message);
        Assert.DoesNotContain("unsupported compression method", e.Message);
    }
}
