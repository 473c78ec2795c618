using NetNumerics.Data;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Data;

/// <summary>A small MNIST-like sample: count images of rows x cols bytes and a label in [0, classes) each.</summary>
public sealed record IdxSample(int Count, int Rows, int Cols, int Classes, byte[] Pixels, byte[] Labels)
{
    public byte[] ImageFile => DataFiles.IdxImages(Count, Rows, Cols, Pixels);
    public byte[] LabelFile => DataFiles.IdxLabels(Labels);
    public override string ToString() => $"{Count} images {Rows}x{Cols}, {Classes} classes";

    public static Gen<IdxSample> Gen(int minCount) =>
        from count in FsCheck.Fluent.Gen.Choose(minCount, 12)
        from rows in FsCheck.Fluent.Gen.Choose(1, 9)
        from cols in FsCheck.Fluent.Gen.Choose(1, 9)
        from classes in FsCheck.Fluent.Gen.Elements(10, 10, 2, 37, 256)
        from seed in FsCheck.Fluent.Gen.Choose(int.MinValue, int.MaxValue)
        select new IdxSample(count, rows, cols, classes,
            DataFiles.Bytes((ulong)seed, 0, count * rows * cols),
            DataFiles.Bytes((ulong)seed, 1, count).Select(b => (byte)(b % classes)).ToArray());
}

public class IdxProperties : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    static void AssertEqualToSample(IdxSample s, Dataset d)
    {
        Assert.Equal((s.Count, 1, s.Rows, s.Cols, s.Classes), (d.Count, d.Channels, d.Height, d.Width, d.Classes));
        NumericAssert.BitExact<float>(s.Pixels.Select(p => p / 255f).ToArray(), d.Images, label: "pixels");   // the format's scaling: x / 255f, bit for bit
        Assert.Equal(s.Labels.Select(b => (int)b), d.Labels);
    }

    [Property(MaxTest = 100)]
    public Property Written_files_read_back_equal_raw_or_gzip_whatever_the_name() =>
        Prop.ForAll(IdxSample.Gen(0).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), ArbMap.Default.ArbFor<bool>(), (s, gzImages, gzLabels) =>
        {
            // gzip is detected by content, so a .gz file named without the suffix still reads
            string images = _dir.Write(gzImages ? DataFiles.Gzip(s.ImageFile) : s.ImageFile, gzImages ? ".gz" : "");
            string labels = _dir.Write(gzLabels ? DataFiles.Gzip(s.LabelFile) : s.LabelFile);
            long limit = Bounded.Limit(s.ImageFile.Length + s.LabelFile.Length);
            var d = Bounded.AssertAccepted(Bounded.Run(() => IdxReader.ReadDataset(images, labels, s.Classes)), limit);
            AssertEqualToSample(s, d);
        });

    /// <summary>One corruption of a valid sample; <see cref="Apply"/> returns the corrupted image and label files.</summary>
    public sealed record Corruption(string Name, Func<byte[], byte[], (byte[] Images, byte[] Labels)> Apply, bool Gzip = false)
    {
        public override string ToString() => Name;
    }

    static byte[] With(byte[] b, Action<byte[]> change) { var c = (byte[])b.Clone(); change(c); return c; }
    static byte[] SetInt(byte[] b, int offset, int value) => With(b, c => BinaryPrimitives.WriteInt32BigEndian(c.AsSpan(offset), value));

    // Every corruption here makes the pair invalid: a changed header byte changes the magic or a
    // dimension (count >= 1 and rows, cols >= 1, so any dimension change changes the declared size
    // or the image/label count agreement), a cut or an extra byte breaks the exact length, etc.
    static Gen<Corruption> Corruptions(IdxSample s)
    {
        int imgLen = s.ImageFile.Length, lblLen = s.LabelFile.Length;
        var flip = Gen.Choose(1, 255);
        return Gen.OneOf(
            from at in Gen.Choose(0, 15) from x in flip
            select new Corruption($"image header byte {at} ^= {x}", (i, l) => (With(i, c => c[at] ^= (byte)x), l)),
            from at in Gen.Choose(0, 7) from x in flip
            select new Corruption($"label header byte {at} ^= {x}", (i, l) => (i, With(l, c => c[at] ^= (byte)x))),
            from cut in Gen.Choose(0, imgLen - 1)
            select new Corruption($"images truncated to {cut}", (i, l) => (i[..cut], l)),
            from cut in Gen.Choose(0, lblLen - 1)
            select new Corruption($"labels truncated to {cut}", (i, l) => (i, l[..cut])),
            from extra in Gen.Choose(1, 3000)
            select new Corruption($"{extra} extra image bytes", (i, l) => ([.. i, .. new byte[extra]], l)),
            from magic in Gen.Choose(int.MinValue, int.MaxValue).Where(m => m != 0x0803)
            select new Corruption($"image magic 0x{magic:X8}", (i, l) => (SetInt(i, 0, magic), l)),
            from magic in Gen.Elements(0x0801, 0x0802, 0x0903, 0x0B03, 0x0D03, 0x0E03, 0x0C03, 0x0804, 0x0800)
            select new Corruption($"near-miss image magic 0x{magic:X8}", (i, l) => (SetInt(i, 0, magic), l)),
            from count in Gen.Elements(int.MaxValue, 1 << 30, 60_000_000, s.Count + 1)
            select new Corruption($"{count} images declared", (i, l) => (SetInt(i, 4, count), l)),
            from count in Gen.Elements(int.MaxValue, 1 << 30, s.Count + 1)
            select new Corruption($"{count} labels declared", (i, l) => (i, SetInt(l, 4, count))),
            from dim in Gen.Elements(-1, int.MinValue, 0, 65536, int.MaxValue) from at in Gen.Elements(8, 12)
            select new Corruption($"image dimension at {at} = {dim}", (i, l) => (SetInt(i, at, dim), l)),
            from garbage in Gen.Choose(0, 200) from seed in Gen.Choose(0, int.MaxValue)
            select new Corruption($"gzip magic then {garbage} random bytes", (i, l) => ([0x1f, 0x8b, .. DataFiles.Bytes((ulong)seed, 2, garbage)], l), Gzip: true),
            from cut in Gen.Choose(0, 60)
            select new Corruption($"gzipped images truncated by {cut + 1}", (i, l) => { var g = DataFiles.Gzip(i); return (g[..Math.Max(0, g.Length - 1 - cut)], l); }, Gzip: true),
            from count in Gen.Elements(int.MaxValue, 1 << 30, 10_000_000)
            select new Corruption($"gzipped images declaring {count}", (i, l) => (DataFiles.Gzip(SetInt(i, 4, count)), l), Gzip: true),
            // (with 256 classes every byte is a valid label: then corrupt the label magic instead)
            s.Classes < 256
                ? from v in Gen.Choose(s.Classes, 255) from at in Gen.Choose(0, s.Count - 1)
                  select new Corruption($"label {at} = {v}", (i, l) => (i, With(l, c => c[8 + at] = (byte)v)))
                : Gen.Constant(new Corruption("label magic 0x00000803", (i, l) => (i, SetInt(l, 0, 0x0803)))),
            Gen.Constant(new Corruption("empty image file", (i, l) => ([], l))),
            Gen.Constant(new Corruption("empty label file", (i, l) => (i, []))),
            Gen.Constant(new Corruption("images and labels swapped", (i, l) => (l, i))));
    }

    [Property(MaxTest = 400)]
    public Property Every_corruption_is_rejected_naming_the_file_within_time_and_memory() =>
        Prop.ForAll(IdxSample.Gen(1).SelectMany(s => Corruptions(s).Select(c => (s, c))).ToArbitrary(), sc =>
        {
            var (s, c) = sc;
            var (img, lbl) = c.Apply(s.ImageFile, s.LabelFile);
            string images = _dir.Write(img), labels = _dir.Write(lbl);
            var o = Bounded.Run(() => IdxReader.ReadDataset(images, labels, s.Classes));
            // the broken file is whichever differs from the valid one; a count mismatch names the image file
            // (labels are read first, so a broken label file is reported even if images are broken too)
            string culprit = lbl.AsSpan().SequenceEqual(s.LabelFile) ? images : labels;
            Bounded.AssertRejected(o, culprit, Bounded.Limit(s.ImageFile.Length + s.LabelFile.Length));
        });

    [Property(MaxTest = 200)]
    public Property A_changed_pixel_or_in_range_label_is_still_a_valid_file_and_reads_as_changed() =>
        Prop.ForAll(IdxSample.Gen(1).SelectMany(s =>
            from pixel in Gen.Choose(0, s.Pixels.Length - 1)
            from value in Gen.Choose(0, 255)
            from label in Gen.Choose(0, s.Count - 1)
            from klass in Gen.Choose(0, s.Classes - 1)
            select (s, pixel, (byte)value, label, (byte)klass)).ToArbitrary(), t =>
        {
            var (s, pixel, value, label, klass) = t;
            var changed = s with { Pixels = With(s.Pixels, p => p[pixel] = value), Labels = With(s.Labels, l => l[label] = klass) };
            string images = _dir.Write(changed.ImageFile), labels = _dir.Write(changed.LabelFile);
            var d = Bounded.AssertAccepted(Bounded.Run(() => IdxReader.ReadDataset(images, labels, s.Classes)),
                Bounded.Limit(s.ImageFile.Length + s.LabelFile.Length));
            AssertEqualToSample(changed, d);
        });

    [Property(MaxTest = 100)]
    public Property A_corrupted_gzip_stream_is_rejected_or_decodes_to_the_original() =>
        // flipping a byte of the gzip container either breaks deflate / CRC-32 / ISIZE, or touches
        // a field that does not affect the data (MTIME, XFL, OS): never silently different pixels
        Prop.ForAll(IdxSample.Gen(1).SelectMany(s =>
        {
            int len = DataFiles.Gzip(s.ImageFile).Length;
            return from at in Gen.Choose(0, len - 1) from x in Gen.Choose(1, 255) select (s, at, (byte)x);
        }).ToArbitrary(), t =>
        {
            var (s, at, x) = t;
            string images = _dir.Write(With(DataFiles.Gzip(s.ImageFile), g => g[at] ^= x));
            string labels = _dir.Write(s.LabelFile);
            // limit the payload a corrupted stream may claim to twice the real one
            long maxBytes = 2L * s.ImageFile.Length;
            var o = Bounded.Run(() => IdxReader.ReadDataset(images, labels, s.Classes, maxBytes));
            long limit = Bounded.Limit(maxBytes + s.LabelFile.Length);
            if (o.Error is null) AssertEqualToSample(s, Bounded.AssertAccepted(o, limit));
            else Bounded.AssertRejected(o, images, limit);
        });

    [Fact]
    public void A_gzip_bomb_past_the_declared_size_is_rejected_after_reading_only_the_declared_bytes()
    {
        // header: 10 images of 28x28 (7,840 bytes), followed by 64 MiB of zeros: ~64 KiB compressed
        var bomb = new byte[16 + (64 << 20)];
        BinaryPrimitives.WriteInt32BigEndian(bomb, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(4), 10);
        BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(12), 28);
        string path = _dir.Write(DataFiles.Gzip(bomb));
        var o = Bounded.Run(() => IdxReader.ReadImages(path));
        Bounded.AssertRejected(o, path, Bounded.Limit(16 + 7840));
        Assert.Contains("more data follows", o.Error!.Message);
    }

    [Fact]
    public void Messages_say_what_was_expected_and_what_was_found()
    {
        string wrongMagic = _dir.Write(DataFiles.Idx(0x0801, [3], [1, 2, 3]));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(wrongMagic));
        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("expected 0x00000803", e.Message);

        string huge = _dir.Write(DataFiles.Idx(0x0803, [int.MaxValue, 28, 28], new byte[784]));
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(huge));
        Assert.Contains($"file is {16 + 784} bytes", e.Message);
        Assert.Contains($"{16 + (long)int.MaxValue * 784} bytes", e.Message);

        string images = _dir.Write(DataFiles.IdxImages(2, 1, 1, [0, 255]));
        string labels = _dir.Write(DataFiles.IdxLabels([1, 2, 3]));
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels));
        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
        Assert.Contains("2 images", e.Message);
        Assert.Contains("3 labels", e.Message);

        string badLabel = _dir.Write(DataFiles.IdxLabels([1, 10]));
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(badLabel));
        Assert.Contains("label 1 is 10", e.Message);
        Assert.Contains("[0, 10)", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_argument_exceptions_naming_the_argument()
    {
        string labels = _dir.Write(DataFiles.IdxLabels([0]));
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(labels, classes: 0)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(labels, classes: 257)).ParamName);
        Assert.Equal("maxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(labels, maxBytes: 0)).ParamName);
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(Path.Combine(_dir.Path, "absent")));
    }
}
