using System.Numerics;
using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// The setup the wrappers' law properties share (Schedule-Free, EMA/SWA, Lookahead): the wrapper and its base optimizer run
/// side by side on one path from the same seeded weights, on the same gradients and rates, with a check after every step.
/// </summary>
static class WrapperLaw
{
    public static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);

    public static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged =>
        MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>The optimizer for <paramref name="options"/> on the Fast or the Reference path.</summary>
    public static IOptimizer For(IOptimizerOptions options, bool fast) => fast ? FastOptimizers.For(options) : ReferenceOptimizers.For(options);

    /// <summary>
    /// Updates 1..<paramref name="steps"/> of the wrapper (weights <c>w</c>, state <c>s</c>) and of the base alone (weights
    /// <c>q</c>, state <c>b</c>) from the same weights (stream 1 of the seed), with the gradients of stream 10 + t and the rate
    /// of step t; after each update <paramref name="check"/>(t, w, q, s, b) returns a failure label or null.
    /// </summary>
    public static Property SideBySide<T>(IOptimizerOptions wrapper, IOptimizerOptions baseOptions, int n, ulong seed, int steps, bool fast,
        Func<int, T[], T[], OptimizerState<T>, OptimizerState<T>, string?> check) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var wrapped = For(wrapper, fast);
        var alone = For(baseOptions, fast);
        T[] w = SeededInputs.Values<T>(n, seed, 1), q = (T[])w.Clone();
        var s = wrapped.Init<T>(n); var b = alone.Init<T>(n);
        for (int t = 1; t <= steps; t++)
        {
            T[] g = SeededInputs.Values<T>(n, seed, 10 + (ulong)t);
            double lr = SeededInputs.LearningRate(seed, t);
            wrapped.Update(s, w, g, lr);
            alone.Update(b, q, g, lr);
            if (check(t, w, q, s, b) is { } failure) return false.Label($"{typeof(T).Name} {wrapper} n={n} step {t}: {failure}");
        }
        return true.ToProperty();
    }

    /// <summary>The name of the first base slot whose bits differ between the wrapper's state and the base's own, or null.</summary>
    public static string? BaseSlotDiffering<T>(OptimizerState<T> wrapper, OptimizerState<T> alone) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < alone.SlotNames.Count; k++)
            if (!SameBits<T>(wrapper.Slot(alone.SlotNames[k]).Span, alone.SlotAt(k).Span)) return $"base slot {alone.SlotNames[k]} differs";
        return null;
    }
}
