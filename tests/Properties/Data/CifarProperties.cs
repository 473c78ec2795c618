using NetNumerics.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Data;

/// <summary>A few CIFAR-10 records: a label in [0, 10) and 3072 pixel bytes (R, G, B planes) each.</summary>
public sealed record CifarSample(byte[] Labels, byte[] Pixels)
{
    public byte[] File => DataFiles.Cifar(Labels, Pixels);
    public override string ToString() => $"{Labels.Length} records";

    public static Gen<CifarSample> Gen(int min, int max) =>
        from n in FsCheck.Fluent.Gen.Choose(min, max)
        from seed in FsCheck.Fluent.Gen.Choose(int.MinValue, int.MaxValue)
        select new CifarSample(
            DataFiles.Bytes((ulong)seed, 1, n).Select(b => (byte)(b % 10)).ToArray(),
            DataFiles.Bytes((ulong)seed, 0, n * 3072));
}

public class CifarProperties : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    static void AssertEqualToSamples(IReadOnlyList<CifarSample> samples, Dataset d)
    {
        var labels = samples.SelectMany(s => s.Labels).Select(b => (int)b).ToArray();
        var pixels = samples.SelectMany(s => s.Pixels).ToArray();
        Assert.Equal((labels.Length, 3, 32, 32, 10), (d.Count, d.Channels, d.Height, d.Width, d.Classes));
        Assert.Equal(labels, d.Labels);
        // record layout R, G, B planes = NCHW; scaling x / 255f, bit for bit
        NumericAssert.BitExact<float>(pixels.Select(p => p / 255f).ToArray(), d.Images, label: "pixels");
    }

    [Property(MaxTest = 40)]
    public Property Written_batches_read_back_equal_and_concatenate_in_order() =>
        Prop.ForAll(Gen.Choose(1, 4).SelectMany(k => CifarSample.Gen(1, 4).ArrayOf(k)).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (samples, gzip) =>
        {
            var paths = samples.Select(s => _dir.Write(gzip ? DataFiles.Gzip(s.File) : s.File, ".bin")).ToArray();
            long total = samples.Sum(s => (long)s.File.Length);
            var d = Bounded.AssertAccepted(Bounded.Run(() => Cifar10Reader.ReadBatches(paths)), Bounded.Limit(total));
            AssertEqualToSamples(samples, d);
        });

    public sealed record Corruption(string Name, Func<byte[], byte[]> Apply)
    {
        public override string ToString() => Name;
    }

    static Gen<Corruption> Corruptions(CifarSample s)
    {
        int len = s.File.Length, n = s.Labels.Length;
        return Gen.OneOf(
            // a cut on a record boundary leaves a valid, shorter file: cut elsewhere
            from cut in Gen.Choose(0, len - 1).Where(c => c % 3073 != 0 || c == 0)
            select new Corruption($"truncated to {cut}", f => f[..cut]),
            from extra in Gen.Choose(1, 3072)
            select new Corruption($"{extra} extra bytes", f => [.. f, .. new byte[extra]]),
            from r in Gen.Choose(0, n - 1) from v in Gen.Choose(10, 255)
            select new Corruption($"label of record {r} = {v}", f => { var c = (byte[])f.Clone(); c[r * 3073] = (byte)v; return c; }),
            from garbage in Gen.Choose(0, 300) from seed in Gen.Choose(0, int.MaxValue)
            select new Corruption($"gzip magic then {garbage} random bytes", f => [0x1f, 0x8b, .. DataFiles.Bytes((ulong)seed, 3, garbage)]),
            from cut in Gen.Choose(1, 40)
            select new Corruption($"gzip truncated by {cut}", f => { var g = DataFiles.Gzip(f); return g[..Math.Max(0, g.Length - cut)]; }),
            Gen.Constant(new Corruption("empty file", f => [])),
            Gen.Constant(new Corruption("gzip of nothing", f => DataFiles.Gzip([]))));
    }

    [Property(MaxTest = 150)]
    public Property Every_corruption_is_rejected_naming_the_file_within_time_and_memory() =>
        Prop.ForAll(CifarSample.Gen(1, 3).SelectMany(s => Corruptions(s).Select(c => (s, c))).ToArbitrary(), sc =>
        {
            var (s, c) = sc;
            string path = _dir.Write(c.Apply(s.File), ".bin");
            // the limit caps what a corrupted gzip stream may inflate to at twice the real data
            long maxBytes = 2L * s.File.Length;
            var o = Bounded.Run(() => Cifar10Reader.ReadBatch(path, maxBytes));
            Bounded.AssertRejected(o, path, Bounded.Limit(maxBytes));
        });

    [Property(MaxTest = 60)]
    public Property A_cut_on_a_record_boundary_or_a_changed_pixel_is_valid_and_reads_as_such() =>
        Prop.ForAll(CifarSample.Gen(2, 4).SelectMany(s =>
            from keep in Gen.Choose(1, s.Labels.Length)
            from pixel in Gen.Choose(0, s.Pixels.Length - 1)
            from value in Gen.Choose(0, 255)
            from label in Gen.Choose(0, 9)
            select (s, keep, pixel, (byte)value, (byte)label)).ToArbitrary(), t =>
        {
            var (s, keep, pixel, value, label) = t;
            var pixels = (byte[])s.Pixels.Clone(); pixels[pixel] = value;
            var labels = (byte[])s.Labels.Clone(); labels[pixel / 3072] = label;
            var changed = new CifarSample(labels[..keep], pixels[..(keep * 3072)]);
            string path = _dir.Write(new CifarSample(labels, pixels).File[..(keep * 3073)], ".bin");
            var d = Bounded.AssertAccepted(Bounded.Run(() => Cifar10Reader.ReadBatch(path)), Bounded.Limit(s.File.Length));
            AssertEqualToSamples([changed], d);
        });

    [Fact]
    public void Messages_say_what_was_expected_and_what_was_found()
    {
        string odd = _dir.Write(new byte[3073 + 5]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadBatch(odd));
        Assert.StartsWith(odd, e.Message);
        Assert.Contains("3078 bytes = 1 records of 3073 bytes + 5 bytes", e.Message);

        var bad = new byte[2 * 3073]; bad[3073] = 10;
        string badLabel = _dir.Write(bad);
        e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadBatch(badLabel));
        Assert.Contains("record 1 (byte offset 3073) has label 10", e.Message);

        Assert.Equal("paths", Assert.Throws<ArgumentException>(() => Cifar10Reader.ReadBatches([])).ParamName);
    }
}
