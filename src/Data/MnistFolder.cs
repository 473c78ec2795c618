namespace NetNumerics.Data;

/// <summary>
/// Loads MNIST or Fashion-MNIST from a folder holding the four IDX files under their standard names
/// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
/// t10k-labels-idx1-ubyte). Each may also be spelled with '.' before "idx" (train-images.idx3-ubyte,
/// as some archive tools extract it) and may carry a ".gz" suffix; gzip is detected by content.
/// </summary>
public static class MnistFolder
{
    /// <summary>Standard name of the 60,000 training images (IDX, 28 x 28 bytes each).</summary>
    public const string TrainImages = "train-images-idx3-ubyte";
    /// <summary>Standard name of the 60,000 training labels.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";
    /// <summary>Standard name of the 10,000 test images.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";
    /// <summary>Standard name of the 10,000 test labels.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four standard file names, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>Names accepted for a standard file name, in order of preference.</summary>
    public static IReadOnlyList<string> Spellings(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int dash = fileName.LastIndexOf("-idx", StringComparison.Ordinal);
        var bases = dash < 0 ? [fileName] : new[] { fileName, fileName[..dash] + "." + fileName[(dash + 1)..] };
        return [.. bases, .. bases.Select(b => b + ".gz")];
    }

    /// <summary>The path of the first spelling of <paramref name="fileName"/> present in <paramref name="dir"/>, or null.</summary>
    public static string? Find(string dir, string fileName)
    {
        ArgumentNullException.ThrowIfNull(dir);
        foreach (var name in Spellings(fileName))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>The standard names of the files not present (under any spelling) in <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> Missing(string dir) =>
        FileNames.Where(f => Find(dir, f) is null).ToArray();

    /// <summary>
    /// Reads the training and test sets. A missing folder or file is a
    /// <see cref="FileNotFoundException"/> listing every missing file and the spellings tried; a
    /// malformed file is an <see cref="InvalidDataException"/> naming it (see <see cref="IdxReader"/>).
    /// </summary>
    public static TrainTest Load(string dir, int classes = 10, long maxBytes = IdxReader.DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"MNIST folder {dir} does not exist; expected it to hold {string.Join(", ", FileNames)}.");
        var missing = Missing(dir);
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"MNIST folder {dir} lacks {string.Join(", ", missing)} (looked for each as-is, with '.' before \"idx\", and with \".gz\"; e.g. {string.Join(", ", Spellings(missing[0]))}).",
                Path.Combine(dir, missing[0]));
        string Path0(string f) => Find(dir, f)!;
        var train = IdxReader.ReadDataset(Path0(TrainImages), Path0(TrainLabels), classes, maxBytes);
        var test = IdxReader.ReadDataset(Path0(TestImages), Path0(TestLabels), classes, maxBytes);
        if (test.Height != train.Height || test.Width != train.Width)
            throw DataError.Create(Path0(TestImages),
                $"images are {test.Height}x{test.Width}, but the training images in {Path0(TrainImages)} are {train.Height}x{train.Width}; expected the same size.");
        return new TrainTest(train, test);
    }
}
