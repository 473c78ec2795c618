using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// What the Reference optimizers are documented to do with subnormal, huge, infinite and NaN inputs (their
/// remarks): propagate element by element. The Fast twins agree bit for bit on the whole range
/// (<see cref="FastMatchesReferenceProperties"/>), so these hold for them too.
/// </summary>
public class SpecialValueProperties
{
    static readonly Gen<float> Typical = FloatGen.InBinades<float>(-10, 10);
    static readonly float[] Bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, 1e30f, float.Epsilon, -0f];

    [Fact]
    public void A_bad_element_never_changes_another_element()
    {
        Prop.ForAll((from o in HyperGen.AnyOptimizer
                     from p in Typical.ArrayOf(9)
                     from g in Typical.ArrayOf(9)
                     from k in Gen.Choose(0, 8)
                     from bad in Gen.Elements(Bad)
                     from inGradient in Gen.Elements(false, true)
                     select (o, p, g, k, bad, inGradient)).ToArbitrary(), x =>
        {
            var opt = ReferenceOptimizers.For(x.o);
            float[] pClean = (float[])x.p.Clone(), pBad = (float[])x.p.Clone(), gBad = (float[])x.g.Clone();
            if (x.inGradient) gBad[x.k] = x.bad; else pBad[x.k] = x.bad;
            var sClean = opt.Init<float>(9); var sBad = opt.Init<float>(9);
            for (int step = 0; step < 3; step++)
            {
                opt.Update(sClean, pClean, x.g, 1e-2);
                opt.Update(sBad, pBad, gBad, 1e-2);
            }
            for (int i = 0; i < 9; i++)
                if (i != x.k) NumericAssert.BitExact(pClean[i], pBad[i], label: $"{x.o.Name} parameter {i} beside a bad element {x.bad} at {x.k}");
            for (int s = 0; s < sClean.SlotNames.Count; s++)
                for (int i = 0; i < 9; i++)
                    if (i != x.k) NumericAssert.BitExact(sClean.SlotAt(s).Span[i], sBad.SlotAt(s).Span[i], label: $"{x.o.Name} slot {sClean.SlotNames[s]}[{i}]");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void A_NaN_gradient_makes_its_parameter_NaN_for_good()
    {
        Prop.ForAll((from o in HyperGen.AnyOptimizer from p in Typical from lr in Gen.Elements(0.0, 1e-3, 0.5) select (o, p, lr)).ToArbitrary(), x =>
        {
            var opt = ReferenceOptimizers.For(x.o);
            var s = opt.Init<float>(1);
            float[] p = [x.p];
            opt.Update(s, p, new[] { float.NaN }, x.lr);
            bool ok = float.IsNaN(p[0]);
            for (int step = 0; step < 4; step++) { opt.Update(s, p, new[] { 0.5f }, x.lr); ok &= float.IsNaN(p[0]); }
            return ok.Label($"{x.o} lr {x.lr}: p = {p[0]}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Theory]
    [InlineData(AdamEpsilon.KerasEpsilonHat)]
    [InlineData(AdamEpsilon.PaperAlgorithm1)]
    public void Adam_does_not_move_an_element_whose_second_moment_overflowed(AdamEpsilon mode)
    {
        var adam = new Adam(new AdamOptions { EpsilonMode = mode });
        var s = adam.Init<float>(1);
        float[] p = [0.25f];
        adam.Update(s, p, [1e30f], 1e-3);   // g*g = inf: v = +inf, m = 1e29 finite, update m/inf = 0
        Assert.Equal(float.PositiveInfinity, s.Slot("v").Span[0]);
        for (int step = 0; step < 5; step++) adam.Update(s, p, [0.5f], 1e-3);
        NumericAssert.BitExact(0.25f, p[0]);
        Assert.Equal(float.PositiveInfinity, s.Slot("v").Span[0]);
    }

    [Fact]
    public void Adagrad_freezes_an_element_whose_accumulator_overflowed()
    {
        var adagrad = new Adagrad(new AdagradOptions());
        var s = adagrad.Init<float>(1);
        float[] p = [0.25f];
        adagrad.Update(s, p, [2e19f], 0.1);   // (2e19)^2 = 4e38 > MaxValue
        float after = p[0];
        Assert.Equal(float.PositiveInfinity, s.Slot("accumulator").Span[0]);
        for (int step = 0; step < 5; step++) adagrad.Update(s, p, [-3f], 0.1);
        NumericAssert.BitExact(after, p[0]);
    }

    [Fact]
    public void Sgd_with_a_zero_learning_rate_turns_an_infinite_gradient_into_NaN()
    {
        var sgd = new Sgd(new SgdOptions());
        float[] p = [1f];
        sgd.Update(sgd.Init<float>(1), p, [float.PositiveInfinity], 0.0);   // 1 - 0 * inf
        Assert.True(float.IsNaN(p[0]));
        float[] q = [1f];
        sgd.Update(sgd.Init<float>(1), q, [float.PositiveInfinity], 0.1);
        Assert.Equal(float.NegativeInfinity, q[0]);
    }

    [Fact]
    public void The_maxima_of_AMSGrad_and_AdaMax_propagate_NaN()
    {
        var ams = new Adam(new AdamOptions { Amsgrad = true });
        var s = ams.Init<float>(1);
        ams.Update(s, new float[] { 1f }, [float.NaN], 1e-3);
        Assert.True(float.IsNaN(s.Slot("vmax").Span[0]));
        foreach (var mode in Enum.GetValues<AdamaxEpsilon>())
        {
            var adamax = new Adamax(new AdamaxOptions { EpsilonMode = mode });
            var u = adamax.Init<float>(1);
            adamax.Update(u, new float[] { 1f }, [float.NaN], 1e-3);
            Assert.True(float.IsNaN(u.Slot("u").Span[0]), mode.ToString());
        }
    }

    /// <summary>
    /// Lion (its Reference's remarks): only the sign of c enters, so with b1 = 0 on the first step (c = g exactly) a subnormal,
    /// huge or infinite gradient moves the element by exactly lr and a NaN one makes it NaN; an infinite gradient leaves an
    /// infinite momentum that keeps the element moving by lr under later finite gradients (b1, b2 in (0, 1)); with weight
    /// decay an infinite parameter becomes NaN, without it stays infinite.
    /// </summary>
    [Fact]
    public void Lion_moves_by_exactly_lr_whatever_the_gradient_and_NaN_stays()
    {
        var first = new Lion(new LionOptions { Beta1 = 0 });
        float[] g = [float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f];
        float[] p = Enumerable.Repeat(0.5f, g.Length).ToArray();
        first.Update(first.Init<float>(g.Length), p, g, 0.25);   // 0.5 -/+ 0.25 is exact
        NumericAssert.BitExact<float>([0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, float.NaN, 0.5f], p);

        var lion = new Lion(new LionOptions());   // b1 0.9, b2 0.99
        var s = lion.Init<float>(1);
        float[] q = [0.5f];
        lion.Update(s, q, [float.PositiveInfinity], 0.125);
        Assert.Equal(float.PositiveInfinity, s.Slot("m").Span[0]);
        for (int step = 0; step < 3; step++) lion.Update(s, q, [-1f], 0.125);   // c = 0.9*inf + 0.1*(-1) = inf: still +1
        NumericAssert.BitExact(0.5f - 4 * 0.125f, q[0]);

        float[] inf = [float.PositiveInfinity, float.PositiveInfinity];
        var decay = new Lion(new LionOptions { WeightDecay = 0.1 });
        decay.Update(decay.Init<float>(1), inf.AsSpan(0, 1), [1f], 0.125);
        lion.Update(lion.Init<float>(1), inf.AsSpan(1, 1), [1f], 0.125);
        NumericAssert.BitExact<float>([float.NaN, float.PositiveInfinity], inf);
    }

    [Fact]
    public void Subnormal_gradients_are_ordinary_numbers()
    {
        var sgd = new Sgd(new SgdOptions());
        float[] p = [float.Epsilon * 8];
        sgd.Update(sgd.Init<float>(1), p, [float.Epsilon * 4], 0.5);   // 8e - 0.5 * 4e = 6e exactly, no flush to zero
        NumericAssert.BitExact(float.Epsilon * 6, p[0]);
    }
}
