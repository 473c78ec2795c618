using System.Buffers.Binary;

namespace NetNumerics.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> images of Rows x Columns bytes, row-major.</summary>
/// <param name="Count">Number of images.</param>
/// <param name="Rows">Rows per image (28 for MNIST).</param>
/// <param name="Columns">Columns per image (28 for MNIST).</param>
/// <param name="Pixels">Count x Rows x Columns bytes, image after image, row-major.</param>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels);

/// <summary>
/// Reader for the IDX format MNIST and Fashion-MNIST ship in (LeCun et al., "THE MNIST DATABASE",
/// yann.lecun.com/exdb/mnist): a big-endian header <c>00 00 type ndims</c>, then ndims big-endian
/// int32 dimensions, then the elements. Only unsigned-byte elements (type 0x08) are accepted:
/// images are magic 0x00000803 (count, rows, columns), labels 0x00000801 (count).
/// Files may be raw or gzip (detected by the bytes 1f 8b). Every check happens before the payload
/// is allocated: a raw file's length must equal the size its header declares, and a gzip file's
/// declared size must not exceed <c>maxBytes</c>; reads are bounded, so a lying header can neither
/// hang the reader nor make it allocate more than the file really holds. A gzip file's declared size must also match
/// its trailer's ISIZE and be within what deflate can expand the file to, checked before decompressing. With a
/// <c>limit</c>, only the first items are kept (the rest is decompressed and verified in 64 KiB blocks, never held),
/// and pixels are scaled to floats block by block, so memory is the floats of the items kept. Every failure is a
/// <see cref="InvalidDataException"/> (see <see cref="DataError"/>) naming the file, what was expected and what was found.
/// </summary>
public static class IdxReader
{
    /// <summary>Default cap on the payload a file may declare (1 GiB; MNIST's largest file is 47 MB).</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Magic number of an unsigned-byte image file with 3 dimensions (count, rows, columns): 0x00000803.</summary>
    public const int ImagesMagic = 0x00000803;
    /// <summary>Magic number of an unsigned-byte label file with 1 dimension (count): 0x00000801.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an IDX image file (magic 0x00000803).</summary>
    public static IdxImages ReadImages(string path, long maxBytes = DefaultMaxBytes) =>
        ReadImages(path, maxBytes, expectedCount: null, countSource: null);

    /// <summary>Reads an IDX label file (magic 0x00000801) whose labels must lie in [0, <paramref name="classes"/>).</summary>
    public static byte[] ReadLabels(string path, int classes = 10, long maxBytes = DefaultMaxBytes) =>
        ReadLabels(path, classes, maxBytes, limit: 0);

    /// <summary>
    /// Reads the first <paramref name="limit"/> labels (0 = all) of an IDX label file; every label of the file is still
    /// checked against <paramref name="classes"/> and a gzip file is verified to its end.
    /// </summary>
    public static byte[] ReadLabels(string path, int classes, long maxBytes, int limit)
    {
        Guard.NonNegative(limit, nameof(limit));
        return ReadLabelsCounted(path, classes, maxBytes, limit).Labels;
    }

    /// <summary>
    /// Reads an image file and its label file into a 1-channel <see cref="Dataset"/>, pixels scaled
    /// by x / 255f into [0, 1]. The two files must hold the same number of items.
    /// </summary>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classes = 10, long maxBytes = DefaultMaxBytes) =>
        ReadDataset(imagesPath, labelsPath, classes, maxBytes, limit: 0);

    /// <summary>
    /// <see cref="ReadDataset(string, string, int, long)"/> keeping only the first <paramref name="limit"/> samples
    /// (0 = all) while streaming: memory is the floats of the samples kept, whatever the files hold; both files are
    /// still checked whole (counts, label range, gzip CRC-32 and length).
    /// </summary>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classes, long maxBytes, int limit)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        Guard.NonNegative(limit, nameof(limit));
        var (labelBytes, count) = ReadLabelsCounted(labelsPath, classes, maxBytes, limit);
        var (stream, length) = DataFile.Open(imagesPath);
        using (stream)
        {
            var dims = ImageHeader(stream, imagesPath, count, labelsPath);
            long payload = Payload(stream, dims, imagesPath, "images", length, maxBytes);
            int keep = labelBytes.Length, pixelsPer = dims[1] * dims[2];
            long kept = (long)keep * pixelsPer;
            if (kept > Array.MaxLength)
                throw DataError.Create(imagesPath, $"{keep} images of {dims[1]}x{dims[2]} are {kept} floats, more than an array can hold ({Array.MaxLength}); pass a smaller limit.");
            var floats = new float[kept];
            DataFile.ReadPayload(stream, payload, kept, readAll: false, imagesPath, "pixels", (at, block) =>
            {
                if (at >= kept) return;
                int n = (int)Math.Min(block.Length, kept - at);
                var dest = floats.AsSpan((int)at, n);
                for (int i = 0; i < n; i++) dest[i] = block[i] / 255f;
            });
            var ints = new int[keep];
            for (int i = 0; i < keep; i++) ints[i] = labelBytes[i];
            return new Dataset(floats, ints, 1, dims[1], dims[2], classes);
        }
    }

    /// <summary>The first labels (all when limit is 0) and the number of items the label file holds.</summary>
    static (byte[] Labels, int Count) ReadLabelsCounted(string path, int classes, long maxBytes, int limit)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckArguments(classes, maxBytes);
        var (stream, length) = DataFile.Open(path);
        using (stream)
        {
            var dims = ReadHeader(stream, path, LabelsMagic, "labels", 1);
            long payload = Payload(stream, dims, path, "labels", length, maxBytes);
            int keep = limit > 0 ? Math.Min(limit, dims[0]) : dims[0];
            var labels = new byte[keep];
            DataFile.ReadPayload(stream, payload, keep, readAll: true, path, "labels", (at, block) =>
            {
                for (int i = 0; i < block.Length; i++)
                    if (block[i] >= classes)
                        throw DataError.Create(path, $"label {at + i} is {block[i]}, expected a class in [0, {classes}).");
                if (at < keep) block[..(int)Math.Min(block.Length, keep - at)].CopyTo(labels.AsSpan((int)at));
            });
            return (labels, dims[0]);
        }
    }

    /// <summary>Scales pixels by x / 255f into a 1-channel dataset (labels already checked against classes).</summary>
    public static Dataset ToDataset(IdxImages images, byte[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.SameLength(images.Count, "images.Count", labels.Length, nameof(labels));
        byte[] pixels = images.Pixels;
        var floats = new float[pixels.Length];
        for (int i = 0; i < floats.Length; i++)
            floats[i] = pixels[i] / 255f;
        var ints = new int[labels.Length];
        for (int i = 0; i < ints.Length; i++)
            ints[i] = labels[i];
        return new Dataset(floats, ints, 1, images.Rows, images.Columns, classes);
    }

    static IdxImages ReadImages(string path, long maxBytes, int? expectedCount, string? countSource)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckArguments(10, maxBytes);
        var (stream, length) = DataFile.Open(path);
        using (stream)
        {
            var dims = ImageHeader(stream, path, expectedCount, countSource);
            long payload = Payload(stream, dims, path, "images", length, maxBytes);
            byte[] pixels = DataFile.ReadExactlyToEnd(stream, payload, length.HasValue, path, "pixels");
            return new IdxImages(dims[0], dims[1], dims[2], pixels);
        }
    }

    static int[] ImageHeader(Stream stream, string path, int? expectedCount, string? countSource)
    {
        var dims = ReadHeader(stream, path, ImagesMagic, "images", 3);
        if (dims[1] == 0 || dims[2] == 0)
            throw DataError.Create(path, $"images are {dims[1]}x{dims[2]}, expected rows and columns > 0.");
        if (expectedCount is int expected && dims[0] != expected)
            throw DataError.Create(path, $"holds {dims[0]} images, but {countSource} holds {expected} labels; expected equal counts.");
        return dims;
    }

    static void CheckArguments(int classes, long maxBytes)
    {
        Guard.Positive(classes, nameof(classes));
        if (classes > 256)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be in [1, 256] for byte labels, but was {classes}.");
        Guard.Positive(maxBytes, nameof(maxBytes));
    }

    /// <summary>Reads and checks the magic number, then the dimensions (each in [0, 2^31)).</summary>
    static int[] ReadHeader(Stream stream, string path, int expectedMagic, string kind, int rank)
    {
        int headerLength = 4 + 4 * rank;
        Span<byte> header = stackalloc byte[headerLength];
        int n = DataFile.ReadUpTo(stream, header[..4], path);
        if (n < 4)
            throw DataError.Create(path, $"holds {n} bytes, expected at least the 4-byte IDX magic number (0x{expectedMagic:X8} for {kind}).");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw DataError.Create(path, $"IDX magic number is 0x{magic:X8}, expected 0x{expectedMagic:X8} ({kind}: unsigned bytes, {rank} dimension{(rank == 1 ? "" : "s")}){Explain(magic)}.");
        n = DataFile.ReadUpTo(stream, header[4..], path);
        if (n < 4 * rank)
            throw DataError.Create(path, $"header ends after {4 + n} bytes, expected {headerLength} (magic and {rank} dimension{(rank == 1 ? "" : "s")}).");
        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + 4 * d)..]);
            if (dims[d] < 0)
                throw DataError.Create(path, $"dimension {d} is {(uint)dims[d]}, expected at most {int.MaxValue}.");
        }
        return dims;
    }

    static string Explain(int magic)
    {
        if ((magic >>> 16) != 0) return " - not an IDX file (its first two bytes must be zero)";
        int type = (magic >> 8) & 0xff;
        return type != 0x08 ? $" - element type 0x{type:X2} is not unsigned byte (0x08)" : $" - {magic & 0xff} dimensions";
    }

    /// <summary>
    /// Payload size declared by the dimensions, checked against the file length (raw) or
    /// <paramref name="maxBytes"/> (both) before anything is allocated.
    /// </summary>
    static long Payload(Stream stream, int[] dims, string path, string kind, long? fileLength, long maxBytes)
    {
        Int128 payload = 1;
        foreach (int d in dims) payload *= d;       // at most (2^31)^3 = 2^93: no overflow in Int128
        Int128 declared = 4 + 4 * dims.Length + payload;
        string shape = string.Join("x", dims);
        if (fileLength is long actual && declared != actual)
            throw DataError.Create(path, $"file is {actual} bytes, but its header declares {kind} of shape {shape}, which need exactly {declared} bytes.");
        if (payload > maxBytes)
            throw DataError.Create(path, $"header declares {kind} of shape {shape} = {payload} bytes, more than the limit of {maxBytes} bytes.");
        DataFile.CheckDeclared(stream, (long)declared, $"{kind} of shape {shape} with the header");
        return (long)payload;
    }
}
