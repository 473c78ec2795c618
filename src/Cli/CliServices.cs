namespace NetNumerics.Cli;

/// <summary>What the model factory is given: the data's sample shape and classes, the seed and thread count.</summary>
public sealed record ModelRequest(int Channels, int Height, int Width, int Classes, ulong Seed, int Threads);

/// <summary>
/// The pieces the `train` command is assembled from, replaceable for tests (a tiny model on a tiny dataset) and
/// filled in as the library grows: the model factory, optimizers by name, the schedule parser, the data loader
/// and the MNIST fetcher. <see cref="Default"/> wires the library's own.
/// </summary>
public sealed record CliServices
{
    public required Func<ModelRequest, IModel> CreateModel { get; init; }
    public required IReadOnlyList<string> OptimizerNames { get; init; }
    public required Func<string, IOptimizer> CreateOptimizer { get; init; }
    /// <summary>Parses a --schedule string given the base learning rate; null when schedules are not available.</summary>
    public Func<string, double, ISchedule>? ParseSchedule { get; init; }
    public required Func<string, TrainTest> LoadData { get; init; }
    /// <summary>Downloads MNIST into the folder, writing progress to the writer; null when no fetcher is available.</summary>
    public Action<string, TextWriter>? FetchMnist { get; init; }

    public static CliServices Default { get; } = new()
    {
        CreateModel = r =>
        {
            if ((r.Channels, r.Height, r.Width, r.Classes) == (1, 28, 28, 10)) return new ReferenceModel(NetworkSpec.MnistSeed(), r.Seed);
            if ((r.Channels, r.Height, r.Width, r.Classes) == (3, 32, 32, 10)) return new ReferenceModel(NetworkSpec.Cifar10Seed(), r.Seed);
            throw new ArgumentException(
                $"the seed model takes 1x28x28 (MNIST) or 3x32x32 (CIFAR-10) images with 10 classes, but the data has {r.Channels}x{r.Height}x{r.Width} with {r.Classes} classes.");
        },
        OptimizerNames = OptimizerCatalog.Names,
        CreateOptimizer = OptimizerCatalog.Create,
        ParseSchedule = null,
        LoadData = dir => MnistFolder.Load(dir),
        FetchMnist = null,
    };
}
