using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Test fixture: the smallest shape-aware optimizer. Its state keeps the tensor's shape and a slot "row" with one element
/// per row of the last dimension (rows = length / last dimension), besides a full-length slot "velocity": SGD with
/// momentum whose row slot accumulates each row's gradient sum. It lets the shape API be proved before any real
/// shape-aware method exists, and independently of one.
/// </summary>
sealed record ShapedTestOptions : IOptimizerOptions
{
    public string Name => "test-shaped";
    public IReadOnlyList<string> SlotNames => ["velocity", "row"];
    public void Validate() { }
}

sealed class ShapedTestOptimizer() : OptimizerBase(new ShapedTestOptions())
{
    static int Cols(IReadOnlyList<int> shape) => shape.Count == 0 || shape[^1] == 0 ? 1 : shape[^1];

    protected internal override bool ShapeAware => true;

    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        int cols = shape.Length == 0 || shape[^1] == 0 ? 1 : shape[^1];
        return [n, n / cols];
    }

    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        Span<T> v = state.SlotAt(0).Span, row = state.SlotAt(1).Span;
        int cols = Cols(state.Shape);
        T m = C<T>(0.9), rate = C<T>(lr);
        for (int i = 0; i < p.Length; i++)
        {
            v[i] = m * v[i] + g[i];
            p[i] -= rate * v[i];
            row[i / cols] += g[i];
        }
    }
}
