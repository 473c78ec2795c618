using NetNumerics.Fast.Kernels;
using BenchmarkDotNet.Attributes;
using NetNumerics.Fast;

namespace NetNumerics.Bench.Nn;

/// <summary>
/// Single-thread Sgemm on the seed model's shapes as the Fast model calls them (one chunk of 16 samples):
/// conv2 forward M = 16*121, K = 288, N = 64; conv2 weight gradient M = 64, K = 16*121, N = 288;
/// dense1 forward over a whole batch M = 250, K = 1600, N = 256. GFLOP/s = 2 M N K / time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public unsafe class GemmShapes
{
    [Params("conv2-fwd", "conv2-dW", "dense1-fwd")] public string Shape = "";
    int m, n, k;
    float[] a = null!, b = null!, c = null!;
    GemmWorkspace ws = null!;

    [GlobalSetup]
    public void Setup()
    {
        (m, k, n) = Shape switch { "conv2-fwd" => (16 * 121, 288, 64), "conv2-dW" => (64, 16 * 121, 288), _ => (250, 1600, 256) };
        var rng = new Random(1);
        a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray();
        c = new float[m * n];
        ws = new GemmWorkspace(n);
    }

    public double Flops => 2.0 * m * n * k;

    [Benchmark]
    public void Multiply()
    {
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            Sgemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, n, false, ws);
    }
}
