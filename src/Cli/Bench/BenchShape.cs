using NetNumerics.Optimizers;

namespace NetNumerics.Cli.Bench;

/// <summary>
/// The tensor shape an optimizer is measured on: 1-D for element-wise optimizers (their states ignore shapes), the most
/// nearly square matrix of the same element count for shape-aware ones (Adafactor factors it; 16,384 = 128 x 128,
/// 10,000,000 = 2,500 x 4,000, 1,048,576 = 1,024 x 1,024).
/// </summary>
internal static class BenchShape
{
    public static int[] For(IOptimizer optimizer, int n)
    {
        if (optimizer is not OptimizerBase { ShapeAware: true }) return [n];
        int rows = (int)Math.Sqrt(n);
        while (rows > 1 && n % rows != 0) rows--;
        return [rows, n / rows];
    }
}
