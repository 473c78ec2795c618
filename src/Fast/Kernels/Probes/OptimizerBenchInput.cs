using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>
/// What every optimizer benchmark updates, shared by `numerics bench` and the BenchmarkDotNet suites so both measure the same
/// thing: the weights and gradient (<see cref="Fill"/>) and the tensor shape (<see cref="Shape"/>).
/// </summary>
internal static class OptimizerBenchInput
{
    /// <summary>Weights uniform in [-0.5, 0.5) and gradients in [-5e-3, 5e-3), from the counter RNG (stream 0 and 1, seed 1).</summary>
    public static void Fill(Span<float> p, Span<float> g)
    {
        for (int i = 0; i < p.Length; i++) p[i] = CounterRng.UniformSingle(1, 0, (ulong)i) - 0.5f;
        for (int i = 0; i < g.Length; i++) g[i] = (CounterRng.UniformSingle(1, 1, (ulong)i) - 0.5f) * 1e-2f;
    }

    /// <summary>
    /// 1-D for element-wise optimizers (their states ignore shapes); n/64 x 64 for Muon (16,384 = 256 x 64, 10,000,000 =
    /// 156,250 x 64); for any other shape-aware optimizer (Adafactor) the most nearly square matrix of n elements
    /// (16,384 = 128 x 128, 10,000,000 = 3,125 x 3,200, 1,048,576 = 1,024 x 1,024).
    /// </summary>
    public static int[] Shape(IOptimizer optimizer, int n)
    {
        if (optimizer is not OptimizerBase { ShapeAware: true } shaped) return [n];
        // Muon's Newton-Schulz costs about 2 * min(rows, cols) multiply-adds per element and iteration: 64 columns keep
        // the naive Reference at seconds per update for 10,000,000 elements (a square matrix would take hours).
        if (shaped.Options is MuonOptions && n % 64 == 0) return [n / 64, 64];
        int rows = (int)Math.Sqrt(n);
        while (rows > 1 && n % rows != 0) rows--;
        return [rows, n / rows];
    }
}
