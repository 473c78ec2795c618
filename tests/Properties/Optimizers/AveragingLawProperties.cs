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

/// <summary>EMA and SWA of the weights (Keras use_ema, torch swa_utils): the average never touches training, and it is the average it says.</summary>
public class AveragingLawProperties
{
    static Config Cfg(int n) => WrapperLaw.Cfg(n);
    static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged => WrapperLaw.SameBits(a, b);

    /// <summary>
    /// The weights and the base's slots after every step are bit-identical to the base optimizer run alone on the same
    /// gradients: the average is written to its own slot only. With EMA momentum 0 the average equals the weights
    /// (a = 0*a + 1*p; compared with == since that sum turns -0 into +0).
    /// </summary>
    [Fact]
    public void Training_is_the_base_optimizers_bit_for_bit_and_momentum_0_averages_to_the_weights()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in WrapperGens.TameAveraging from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 8) from zero in Gen.Elements(false, true) from fast in Gen.Elements(false, true)
                 let a = (AveragingOptions)o
                 select (o: zero && a.Mode == WeightAveraging.Ema ? a with { Momentum = 0 } : a, n, seed, steps, fast)).ToArbitrary(),
                x => WrapperLaw.SideBySide<T>(x.o, x.o.Base, x.n, x.seed, x.steps, x.fast, (t, p, q, s, b) =>
                {
                    if (!SameBits<T>(p, q)) return "weights differ from the base run";
                    if (WrapperLaw.BaseSlotDiffering(s, b) is { } slot) return slot;
                    if (x.o is { Mode: WeightAveraging.Ema, Momentum: 0 })
                    {
                        var a = s.Slot("average").Span;
                        for (int i = 0; i < x.n; i++)
                            if (a[i] != p[i]) return $"momentum 0, i={i}: average {a[i]}, weight {p[i]}";
                    }
                    return null;
                })).Check(Cfg(120));
    }

    /// <summary>
    /// SWA's average after the k-th averaged update is the mean of the weights at the averaged updates. Each update
    /// a = a + (p - a)/n rounds n to T (exact: n &lt; 2^24) and does three operations within a factor (1+u) each, so the new
    /// error is at most (1 - 1/n) times the old plus 3u*M (M = max|p_i| so far, |a| &lt;= M); by induction the error after k
    /// averages is at most 3*k*u*M. The mean is summed in double from the recorded weights (error &lt;= k*2^-53*M), so the
    /// bound checked is 4*k*u*M (u = 2^-24 float, 2^-53 double). EMA's average stays p before any step and becomes p at t = 1.
    /// </summary>
    [Fact]
    public void Swa_is_the_mean_of_the_averaged_weights_within_4_k_u_max_p()
    {
        Check<float>(Math.Pow(2, -24));
        Check<double>(Math.Pow(2, -53));

        static void Check<T>(double u) where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in WrapperGens.TameAveraging from n in Gen.Choose(1, 80) from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 30) from fast in Gen.Elements(false, true)
                 let a = (AveragingOptions)o
                 select (o: a with { Mode = WeightAveraging.Swa }, n, seed, steps, fast)).ToArbitrary(),
                x =>
                {
                    var avg = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    var eval = (IEvaluationWeights)avg;
                    T[] p = SeededInputs.Values<T>(x.n, x.seed, 1), e = new T[x.n];
                    var s = avg.Init<T>(x.n);
                    var sum = new double[x.n];
                    double maxP = 0;
                    long k = 0;
                    for (int t = 1; t <= x.steps; t++)
                    {
                        avg.Update(s, p, SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t), SeededInputs.LearningRate(x.seed, t));
                        bool averaged = t >= x.o.SwaStart && (t - x.o.SwaStart) % x.o.SwaEvery == 0;
                        if (averaged)
                        {
                            k++;
                            for (int i = 0; i < x.n; i++) { sum[i] += double.CreateTruncating(p[i]); maxP = Math.Max(maxP, Math.Abs(double.CreateTruncating(p[i]))); }
                        }
                        if (k != x.o.SwaCount(t)) return false.Label($"step {t}: {k} averages, SwaCount says {x.o.SwaCount(t)}");
                        eval.EvaluationWeights(s, p, e);
                        if (k == 0) { if (!SameBits<T>(e, p)) return false.Label($"step {t}: nothing averaged yet, evaluation weights are not the weights"); continue; }
                        double bound = 4 * k * u * maxP;
                        for (int i = 0; i < x.n; i++)
                        {
                            double mean = sum[i] / k, got = double.CreateTruncating(e[i]);
                            if (!(Math.Abs(got - mean) <= bound))
                                return false.Label($"{typeof(T).Name} {x.o} step {t} ({k} averages) i={i}: average {got}, mean {mean}, > {bound}");
                        }
                    }
                    return true.ToProperty();
                }).Check(Cfg(100));
    }

    [Fact]
    public void Bad_options_are_one_clear_error()
    {
        Assert.Contains("SwaStart must be >= 1", Assert.Throws<ArgumentOutOfRangeException>(() => new AveragingOptions { SwaStart = 0 }).Message);
        Assert.Contains("SwaEvery must be >= 1", Assert.Throws<ArgumentOutOfRangeException>(() => new AveragingOptions { SwaEvery = 0 }).Message);
        Assert.Contains("Momentum must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new AveragingOptions { Momentum = 1 }).Message);
        Assert.Equal("ema-adam", new AveragingOptions().Name);
        Assert.Equal(["average", "m", "v"], new AveragingOptions().SlotNames);
    }
}
