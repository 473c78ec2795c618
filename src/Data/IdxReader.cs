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
/// hang the reader nor make it allocate more than the file really holds. Every failure is a
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
    public static byte[] ReadLabels(string path, int classes = 10, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckArguments(classes, maxBytes);
        var (stream, length) = DataFile.Open(path);
        using (stream)
        {
            var dims = ReadHeader(stream, path, LabelsMagic, "labels", 1);
            long payload = Payload(dims, path, "labels", length, maxBytes);
            byte[] labels = DataFile.ReadExactlyToEnd(stream, payload, length.HasValue, path, "labels");
            for (int i = 0; i < labels.Length; i++)
                if (labels[i] >= classes)
                    throw DataError.Create(path, $"label {i} is {labels[i]}, expected a class in [0, {classes}).");
            return labels;
        }
    }

    /// <summary>
    /// Reads an image file and its label file into a 1-channel <see cref="Dataset"/>, pixels scaled
    /// by x / 255f into [0, 1]. The two files must hold the same number of items.
    /// </summary>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classes = 10, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        byte[] labels = ReadLabels(labelsPath, classes, maxBytes);
        var images = ReadImages(imagesPath, maxBytes, labels.Length, labelsPath);
        return ToDataset(images, labels, classes);
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
            var dims = ReadHeader(stream, path, ImagesMagic, "images", 3);
            if (dims[1] == 0 || dims[2] == 0)
                throw DataError.Create(path, $"images are {dims[1]}x{dims[2]}, expected rows and columns > 0.");
            if (expectedCount is int expected && dims[0] != expected)
                throw DataError.Create(path, $"holds {dims[0]} images, but {countSource} holds {expected} labels; expected equal counts.");
            long payload = Payload(dims, path, "images", length, maxBytes);
            byte[] pixels = DataFile.ReadExactlyToEnd(stream, payload, length.HasValue, path, "pixels");
            return new IdxImages(dims[0], dims[1], dims[2], pixels);
        }
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
    static long Payload(int[] dims, string path, string kind, long? fileLength, long maxBytes)
    {
        Int128 payload = 1;
        foreach (int d in dims) payload *= d;       // at most (2^31)^3 = 2^93: no overflow in Int128
        Int128 declared = 4 + 4 * dims.Length + payload;
        string shape = string.Join("x", dims);
        if (fileLength is long actual && declared != actual)
            throw DataError.Create(path, $"file is {actual} bytes, but its header declares {kind} of shape {shape}, which need exactly {declared} bytes.");
        if (payload > maxBytes)
            throw DataError.Create(path, $"header declares {kind} of shape {shape} = {payload} bytes, more than the limit of {maxBytes} bytes.");
        return (long)payload;
    }
}
