using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;

namespace NetNumerics.Bench.Probes;

/// <summary>
/// BenchmarkDotNet form of <see cref="FmaPeak"/> (src/Fast/Kernels/Probes, shared with `numerics bench`), to run next to the
/// CNN benchmarks: GFLOP/s = Threads x FlopsPerThread / Mean (FlopsPerThread = 2^22 x 12 x lanes x 2: 0.805 GFLOP with
/// Vector256, 1.61 with Vector512).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[MinColumn, MedianColumn]
public class FmaPeakBenchmarks
{
    WorkerPool pool = null!;
    Action<int> body = null!;

    [Params(1, 2)] public int Threads;

    [GlobalSetup]
    public void Setup()
    {
        pool = new WorkerPool(Threads);
        body = _ => FmaPeak.Run(FmaPeak.Iterations);
        Console.WriteLine($"// FMA probe: {FmaPeak.Width}, {FmaPeak.FlopsPerThread / 1e9:F3} GFLOP per thread per invocation");
    }

    [GlobalCleanup] public void Cleanup() => pool.Dispose();

    [Benchmark] public void FmaChains() => pool.Run(body, Threads);
}
