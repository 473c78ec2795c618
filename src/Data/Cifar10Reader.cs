namespace NetNumerics.Data;

/// <summary>
/// Reader for the CIFAR-10 binary version (Krizhevsky 2009, www.cs.toronto.edu/~kriz/cifar.html,
/// "Binary version"): each record is 1 label byte (0..9) then 3072 pixel bytes, the 1024 red, then
/// 1024 green, then 1024 blue values of a 32x32 image in row-major order. That is already NCHW, so a
/// record maps to a 3x32x32 sample with pixels scaled by x / 255f. Files may be raw or gzip
/// (detected by content). A raw file's length is checked (non-zero, a multiple of 3073, at most
/// <c>maxBytes</c>) before anything is allocated; every failure is an
/// <see cref="InvalidDataException"/> naming the file (see <see cref="DataError"/>).
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Image height and width in pixels: 32.</summary>
    public const int Side = 32;

    /// <summary>Colour planes per image, red then green then blue: 3.</summary>
    public const int Channels = 3;

    /// <summary>Number of classes (airplane ... truck): 10.</summary>
    public const int Classes = 10;
    /// <summary>Pixel bytes per record: 3 x 32 x 32 = 3072.</summary>
    public const int ImageBytes = Channels * Side * Side;   // 3072
    /// <summary>Bytes per record: the label byte and the pixels, 3073.</summary>
    public const int RecordBytes = 1 + ImageBytes;           // 3073

    /// <summary>Default cap on one file's size (1 GiB; a CIFAR-10 batch is 30.7 MB).</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Reads one batch file into a 3x32x32 dataset with 10 classes.</summary>
    public static Dataset ReadBatch(string path, long maxBytes = DefaultMaxBytes) => ReadBatches([path], maxBytes);

    /// <summary>Reads batch files and concatenates their records in the order given.</summary>
    public static Dataset ReadBatches(IReadOnlyList<string> paths, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException("paths is empty; expected at least one CIFAR-10 batch file.", nameof(paths));
        Guard.Positive(maxBytes, nameof(maxBytes));
        var files = new byte[paths.Count][];
        long records = 0;
        for (int f = 0; f < files.Length; f++)
        {
            files[f] = ReadRecords(paths[f], maxBytes);
            records += files[f].Length / RecordBytes;
            if (records * ImageBytes > Array.MaxLength)
                throw DataError.Create(paths[f], $"brings the total to {records} images, more than one array of floats can hold ({Array.MaxLength / ImageBytes} images).");
        }
        var images = new float[records * ImageBytes];
        var labels = new int[records];
        int r = 0;
        foreach (var bytes in files)
            for (int at = 0; at < bytes.Length; at += RecordBytes, r++)
            {
                labels[r] = bytes[at];
                var pixels = bytes.AsSpan(at + 1, ImageBytes);
                var dest = images.AsSpan(r * ImageBytes, ImageBytes);
                for (int i = 0; i < ImageBytes; i++)
                    dest[i] = pixels[i] / 255f;
            }
        return new Dataset(images, labels, Channels, Side, Side, Classes);
    }

    /// <summary>The raw records of one file, checked: length a non-zero multiple of 3073, labels &lt; 10.</summary>
    public static byte[] ReadRecords(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        Guard.Positive(maxBytes, nameof(maxBytes));
        var (stream, length) = DataFile.Open(path);
        using (stream)
        {
            if (length is long known) CheckLength(path, known);
            byte[] bytes = DataFile.ReadToEnd(stream, length, maxBytes, path, "CIFAR-10 records");
            CheckLength(path, bytes.Length);
            for (int at = 0; at < bytes.Length; at += RecordBytes)
                if (bytes[at] >= Classes)
                    throw DataError.Create(path, $"record {at / RecordBytes} (byte offset {at}) has label {bytes[at]}, expected a class in [0, {Classes}).");
            return bytes;
        }
    }

    static void CheckLength(string path, long length)
    {
        if (length == 0)
            throw DataError.Create(path, $"holds no data, expected at least one {RecordBytes}-byte record (1 label byte + {ImageBytes} pixel bytes).");
        if (length % RecordBytes != 0)
            throw DataError.Create(path, $"holds {length} bytes = {length / RecordBytes} records of {RecordBytes} bytes + {length % RecordBytes} bytes; expected a multiple of {RecordBytes} (1 label byte + {ImageBytes} pixel bytes).");
    }
}
