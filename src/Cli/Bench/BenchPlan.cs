namespace NetNumerics.Cli.Bench;

/// <summary>The sections `numerics bench` can run (--sections).</summary>
[Flags]
enum BenchSections
{
    None = 0,
    Fma = 1,
    Copy = 2,
    Optimizers = 4,
    Cnn = 8,
    All = Fma | Copy | Optimizers | Cnn,
}

/// <summary>
/// How much `numerics bench` measures: sizes, thread counts and repetitions. <see cref="Full"/> is the 1-2 minute run for
/// a person; <see cref="Quick"/> takes a few seconds (for tests and a first look): its "in memory" tensor is 1,048,576
/// floats, which fits a large L3, so its in-memory figures are not the full run's. Each timed body is first run at least
/// <c>Warmup</c> times and for at least <c>WarmupSeconds</c>, so that what is timed is the JIT's optimized code, not its
/// first (tier-0) code: with two calls only, the first optimizers of a run were timed 10-50x slow.
/// </summary>
sealed record BenchPlan(
    bool IsQuick,
    int InCache,
    int InMemory,
    long FmaIterations,
    int Warmup,
    double WarmupSeconds,
    int Repetitions,
    int CnnWarmup,
    int CnnRepetitions,
    double InCacheSampleSeconds)
{
    /// <summary>Thread counts of the probes and the CNN step.</summary>
    public static readonly int[] Threads = [1, 2];

    /// <summary>The seed CNN's batch.</summary>
    public const int Batch = 250;

    /// <summary>The optimizers measured by default (the text forms of `train --optimizer`), as the BenchmarkDotNet suite has them.</summary>
    public static readonly string[] DefaultOptimizers =
        ["sgd", "sgd:momentum=0.9", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "amsgrad", "adamax", "nadam", "radam", "lion", "lamb", "adafactor"];

    public static BenchPlan Full { get; } = new(false, InCache: 16_384, InMemory: 10_000_000, FmaIterations: 1 << 22,
        Warmup: 2, WarmupSeconds: 0.2, Repetitions: 11, CnnWarmup: 3, CnnRepetitions: 21, InCacheSampleSeconds: 2e-3);

    public static BenchPlan Quick { get; } = new(true, InCache: 16_384, InMemory: 1 << 20, FmaIterations: 1 << 20,
        Warmup: 1, WarmupSeconds: 0.02, Repetitions: 3, CnnWarmup: 1, CnnRepetitions: 2, InCacheSampleSeconds: 2e-4);
}
