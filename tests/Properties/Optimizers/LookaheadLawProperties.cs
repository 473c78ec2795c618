using System.Numerics;
using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Lookahead's laws (Zhang et al. 2019): k base steps forward, one step back toward the slow weights.</summary>
public class LookaheadLawProperties
{
    static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged => WrapperLaw.SameBits(a, b);

    /// <summary>
    /// Between synchronisations the weights are the base optimizer's own steps, bit for bit: until update k the run equals
    /// the base alone on the same gradients (weights and base slots). With alpha = 0 the slow weights never move
    /// (slow + 0*(p - slow) = slow exactly for finite values), so after every k-th update the weights are back at the
    /// starting weights, compared with == because adding a +0 turns a starting -0 into +0.
    /// </summary>
    [Fact]
    public void The_first_k_minus_1_updates_are_the_bases_and_alpha_0_returns_to_the_start_every_k()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in WrapperGens.TameLookahead from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 13) from zero in Gen.Elements(false, true) from fast in Gen.Elements(false, true)
                 let l = (LookaheadOptions)o
                 select (o: zero ? l with { Alpha = 0 } : l, n, seed, steps, fast)).ToArbitrary(),
                x =>
                {
                    T[] start = SeededInputs.Values<T>(x.n, x.seed, 1);
                    return WrapperLaw.SideBySide<T>(x.o, x.o.Base, x.n, x.seed, x.steps, x.fast, (t, p, q, s, b) =>
                    {
                        if (t < x.o.K)
                        {
                            if (!SameBits<T>(p, q)) return "weights differ from the base before the first synchronisation";
                            if (WrapperLaw.BaseSlotDiffering(s, b) is { } slot) return slot;
                        }
                        if (t % x.o.K == 0 && !SameBits<T>(p, s.Slot("slow").Span)) return "p is not the slow weights after a synchronisation";
                        if (x.o.Alpha == 0 && t % x.o.K == 0)
                            for (int i = 0; i < x.n; i++)
                                if (p[i] != start[i]) return $"i={i}: alpha 0 but the weight left the start ({start[i]} -> {p[i]})";
                        return null;
                    });
                }).Check(WrapperLaw.Cfg(120));
    }

    [Fact]
    public void Bad_options_are_one_clear_error()
    {
        Assert.Contains("K must be >= 1", Assert.Throws<ArgumentOutOfRangeException>(() => new LookaheadOptions { K = 0 }).Message);
        Assert.Contains("Alpha must be in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new LookaheadOptions { Alpha = 1.5 }).Message);
        Assert.Equal("lookahead-adam", new LookaheadOptions().Name);
        Assert.Equal(["slow", "m", "v"], new LookaheadOptions().SlotNames);
    }
}
