using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Laws of the methods, checked on the Reference (Fast is bit-identical to it by FastMatchesReferenceProperties).</summary>
public class OptimizerLawProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);

    static IOptimizerOptions WithoutWeightDecay(IOptimizerOptions o) => o switch
    {
        SgdOptions x => x with { WeightDecay = 0 },
        AdamOptions x => x with { WeightDecay = 0 },
        AdamWOptions x => x with { WeightDecay = 0 },
        AdagradOptions x => x with { WeightDecay = 0 },
        AdadeltaOptions x => x with { WeightDecay = 0 },
        RmspropOptions x => x with { WeightDecay = 0 },
        AdamaxOptions x => x with { WeightDecay = 0 },
        NadamOptions x => x with { WeightDecay = 0 },
        RadamOptions x => x with { WeightDecay = 0 },
        LionOptions x => x with { WeightDecay = 0 },
        _ => throw new ArgumentException(o.ToString()),
    };

    // From a fresh state every slot update with g = +0 keeps m, momentum, mg at +0 and the
    // denominators > 0 (eps > 0, or Adagrad's accumulator >= 0 plus eps), so each step subtracts
    // an exact +0 and p - (+0) == p, whatever the learning rate. Compared by value: the Keras
    // momentum form ADDS its +0 velocity, and -0 + +0 = +0 (same value, other sign bit).
    [Fact]
    public void Zero_gradient_leaves_parameters_unchanged_without_weight_decay() =>
        Prop.ForAll(
            (from o in FloatSafeOptions.Any from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
             from steps in Gen.Choose(1, 6) select (o: WithoutWeightDecay(o), n, seed, steps)).ToArbitrary(),
            c =>
            {
                bool ok = true;
                foreach (var opt in new[] { ReferenceOptimizers.For(c.o), FastOptimizers.For(c.o) })
                {
                    float[] p = SeededInputs.Values<float>(c.n, c.seed, 1), before = (float[])p.Clone(), g = new float[c.n];
                    var s = opt.Init<float>(c.n);
                    for (int t = 0; t < c.steps; t++) opt.Update(s, p, g, SeededInputs.LearningRate(c.seed, t));
                    for (int i = 0; i < c.n; i++) ok &= p[i] == before[i];
                }
                return ok.Label(c.o.ToString()!);
            }).Check(Cfg(300));

    // Adam's first step. t = 1: m = (1-b1) g, v = (1-b2) g^2.
    //   eps-hat:     |dp| = lr sqrt(1-b2)/(1-b1) * (1-b1)|g| / (sqrt(1-b2)|g| + eps) = lr * a/(a + eps) < lr, a = sqrt(1-b2)|g|
    //   Algorithm 1: |dp| = lr/(1-b1) * (1-b1)|g| / (sqrt((1-b2) g^2)/sqrt(1-b2) + eps) = lr |g|/(|g| + eps) < lr
    // (AMSGrad: vmax = max(0, v) = v, same.) In floating point the step d goes through at most 12
    // roundings (hyperparameters to T, double scalars to T, m, g*g, v, sqrt, +eps, /sqrt(bc2), /, *),
    // so |d| <= lr (1+u)^12 <= lr (1 + 13u); then p - d rounds once more:
    // |fl(p - d) - p| <= |d| + u (|p| + |d|)  =>  |p1 - p0| <= lr (1 + 15u) + u |p0|.
    [Fact]
    public void Adam_first_step_moves_each_parameter_by_at_most_about_lr()
    {
        Check<float>(Bounds.UnitRoundoff<float>());
        Check<double>(Bounds.UnitRoundoff<double>());

        static void Check<T>(double u) where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in FloatSafeOptions.Adam from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 select (o: WithoutWeightDecay(o), n, seed)).ToArbitrary(),
                c =>
                {
                    var opt = ReferenceOptimizers.For(c.o);
                    T[] p = SeededInputs.Values<T>(c.n, c.seed, 1), p0 = (T[])p.Clone(), g = SeededInputs.Values<T>(c.n, c.seed, 2);
                    double lr = SeededInputs.LearningRate(c.seed, 0);
                    opt.Update(opt.Init<T>(c.n), p, g, lr);
                    for (int i = 0; i < c.n; i++)
                    {
                        double moved = Math.Abs(double.CreateTruncating(p[i]) - double.CreateTruncating(p0[i]));
                        double bound = lr * (1 + 15 * u) + u * Math.Abs(double.CreateTruncating(p0[i]));
                        if (!(moved <= bound)) return false.Label($"{c.o} i={i} moved {moved:R} > {bound:R}");
                    }
                    return true.ToProperty();
                }).Check(Cfg(200));
    }

    // Keras v = m v - lr g, p = p + v  versus  PyTorch b = m b + g (b1 = g), p = p - lr b, constant lr,
    // no dampening, no Nesterov. Exact arithmetic: v_t = -lr b_t, so the parameters are equal.
    // Rounding (first order, u = unit roundoff of T): let S = sum_k lr |g_k| over the T steps; every
    // |v_t|, lr |b_t| <= S. Keras: v_t = fl(fl(m v) - fl(lr g)) adds at most 2u(m|v| + lr|g|) <= 4uS to
    // the buffer error, which m < 1 does not grow: e_t <= 4uS t. p_t = fl(p + v) adds u|p_t| and carries
    // e_t: E_T <= sum_t (4uS t + u|p_t|) <= 2uS T(T+1) + uT(|p0| + T S). PyTorch: b = fl(fl(m b) + g)
    // adds at most 2u(|m b| + |g|), lr*b one more u: the same bound with 3u in place of 2u for the
    // buffer terms. Hence |p_Keras - p_PyTorch| <= 5uS T(T+1) + 2uT(|p0| + T S).
    // After an lr change from lr1 to lr2 (two steps, g1 then g2), exact arithmetic gives
    // Keras p2 = p0 - lr1 g1 (1 + m) - lr2 g2 and PyTorch p2 = p0 - lr1 g1 - lr2 (m g1 + g2), so
    // p_Keras - p_PyTorch = m g1 (lr2 - lr1), within the same rounding bound.
    [Fact]
    public void Keras_and_PyTorch_momentum_agree_for_constant_lr_and_differ_by_m_g1_dlr_after_an_lr_change()
    {
        Check<float>(Bounds.UnitRoundoff<float>());
        Check<double>(Bounds.UnitRoundoff<double>());

        static void Check<T>(double u) where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from m in Gen.Choose(1, 999).Select(i => i / 1000.0) from n in Gen.Choose(1, 300)
                 from seed in ArbMap.Default.GeneratorFor<ulong>() from steps in Gen.Choose(1, 10)
                 select (m, n, seed, steps)).ToArbitrary(),
                c =>
                {
                    var keras = ReferenceOptimizers.For(new SgdOptions { Momentum = c.m });
                    var torch = ReferenceOptimizers.For(new SgdOptions { Momentum = c.m, MomentumForm = MomentumForm.PyTorch });
                    double lr = SeededInputs.LearningRate(c.seed, 0) + 1e-3;
                    // constant lr
                    T[] pk = SeededInputs.Values<T>(c.n, c.seed, 1), pt = (T[])pk.Clone(), p0 = (T[])pk.Clone();
                    var sk = keras.Init<T>(c.n); var st = torch.Init<T>(c.n);
                    var S = new double[c.n];
                    for (int t = 0; t < c.steps; t++)
                    {
                        T[] g = SeededInputs.Values<T>(c.n, c.seed, 10 + (ulong)t);
                        for (int i = 0; i < c.n; i++) S[i] += lr * Math.Abs(double.CreateTruncating(g[i]));
                        keras.Update(sk, pk, g, lr);
                        torch.Update(st, pt, g, lr);
                    }
                    int T_ = c.steps;
                    for (int i = 0; i < c.n; i++)
                    {
                        double d = Math.Abs(double.CreateTruncating(pk[i]) - double.CreateTruncating(pt[i]));
                        double bound = 5 * u * S[i] * T_ * (T_ + 1) + 2 * u * T_ * (Math.Abs(double.CreateTruncating(p0[i])) + T_ * S[i]);
                        if (!(d <= bound)) return false.Label($"constant lr: i={i} |diff| {d:R} > {bound:R}");
                    }
                    // lr change: lr1 then lr2 = lr1 / 10
                    double lr1 = lr, lr2 = lr / 10;
                    pk = SeededInputs.Values<T>(c.n, c.seed, 1); pt = (T[])pk.Clone();
                    sk = keras.Init<T>(c.n); st = torch.Init<T>(c.n);
                    T[] g1 = SeededInputs.Values<T>(c.n, c.seed, 10), g2 = SeededInputs.Values<T>(c.n, c.seed, 11);
                    keras.Update(sk, pk, g1, lr1); torch.Update(st, pt, g1, lr1);
                    keras.Update(sk, pk, g2, lr2); torch.Update(st, pt, g2, lr2);
                    // "Must differ" is checkable only where the predicted difference exceeds the rounding bound: with one element,
                    // a small g1 and a large p0 (the bound grows with |p0|) the difference can be rounded away in both forms.
                    bool differs = false, detectable = false;
                    for (int i = 0; i < c.n; i++)
                    {
                        double a1 = Math.Abs(double.CreateTruncating(g1[i])), a2 = Math.Abs(double.CreateTruncating(g2[i]));
                        double s2 = lr1 * a1 + lr2 * a2;
                        double bound = 5 * u * s2 * 6 + 4 * u * (Math.Abs(double.CreateTruncating(p0[i])) + 2 * s2);
                        double expected = c.m * double.CreateTruncating(g1[i]) * (lr2 - lr1);
                        double diff = double.CreateTruncating(pk[i]) - double.CreateTruncating(pt[i]);
                        if (!(Math.Abs(diff - expected) <= bound + 2 * u * Math.Abs(expected)))
                            return false.Label($"lr change: i={i} diff {diff:R} expected {expected:R} bound {bound:R}");
                        bool visible = Math.Abs(expected) > 2 * bound + 2 * u * Math.Abs(expected);
                        detectable |= visible;
                        differs |= visible && diff != 0;
                    }
                    return (differs || !detectable).Label("an lr change must make the two forms differ")
                        .Classify(detectable, "difference above the rounding bound");
                }).Check(Cfg(200));
    }
}
