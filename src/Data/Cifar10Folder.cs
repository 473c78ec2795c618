namespace NetNumerics.Data;

/// <summary>
/// Loads CIFAR-10 from the folder the binary archive extracts to (cifar-10-batches-bin, holding
/// data_batch_1.bin .. data_batch_5.bin and test_batch.bin), or from its parent.
/// </summary>
public static class Cifar10Folder
{
    /// <summary>The folder name inside the official binary archive (cifar-10-binary.tar.gz).</summary>
    public const string ArchiveFolder = "cifar-10-batches-bin";

    /// <summary>The five training batch files, data_batch_1.bin to data_batch_5.bin, 10,000 images each, read in this order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];
    /// <summary>The test batch file, 10,000 images.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The folder that holds the batch files: <paramref name="dir"/> itself or its cifar-10-batches-bin.</summary>
    public static string Resolve(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        string nested = Path.Combine(dir, ArchiveFolder);
        return !File.Exists(Path.Combine(dir, TestFile)) && Directory.Exists(nested) ? nested : dir;
    }

    /// <summary>The batch file names not present in <paramref name="dir"/> (or its cifar-10-batches-bin).</summary>
    public static IReadOnlyList<string> Missing(string dir)
    {
        string root = Resolve(dir);
        return [.. TrainFiles.Append(TestFile).Where(f => !File.Exists(Path.Combine(root, f)))];
    }

    /// <summary>Reads the 50,000 training and 10,000 test images. A missing file is a FileNotFoundException listing all missing ones.</summary>
    public static TrainTest Load(string dir, long maxBytes = Cifar10Reader.DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"CIFAR-10 folder {dir} does not exist; expected it to hold {ArchiveFolder}/ or {string.Join(", ", TrainFiles)}, {TestFile}.");
        string root = Resolve(dir);
        var missing = Missing(dir);
        if (missing.Count > 0)
            throw new FileNotFoundException($"CIFAR-10 folder {root} lacks {string.Join(", ", missing)}.", Path.Combine(root, missing[0]));
        var train = Cifar10Reader.ReadBatches([.. TrainFiles.Select(f => Path.Combine(root, f))], maxBytes);
        var test = Cifar10Reader.ReadBatch(Path.Combine(root, TestFile), maxBytes);
        return new TrainTest(train, test);
    }
}
