using NetNumerics.Optimizers;

namespace NetNumerics.Cli.Bench;

/// <summary>
/// The tensor shape an optimizer is measured on: 1-D for element-wise optimizers (their states ignore shapes), the most
/// nearly square matrix of the same element count for Adafactor (16,384 = 128 x 128, 10,000,000 = 2,500 x 4,000,
/// 1,048,576 = 1,024 x 1,024), n/64 x 64 for Muon (16,384 = 256 x 64, 10,000,000 = 156,250 x 64).
/// </summary>
internal static class BenchShape
{
    public static int[] For(IOptimizer optimizer, int n)
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
