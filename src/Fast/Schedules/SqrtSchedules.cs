using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Schedules;

// Schedules made of +, -, *, /, min and sqrt, with phases. IEEE 754 sqrt is correctly rounded like the other four, so the
// range fill is one fused vector pass at every width (StepKernel) that computes every phase's value in every lane with the Reference's
// operations in the Reference's order and selects the lane's phase: each element has the Reference's bits. Lanes of another
// phase may compute an infinity or a NaN (t/0, sqrt of a negative); they are never selected.

/// <summary><see cref="WarmupStableDecay"/> (WSD): linear warm-up, stable, then a linear or 1-sqrt cooldown.</summary>
public sealed class FastWarmupStableDecay : RangeSchedule
{
    readonly Formula _formula;

    /// <summary>The twin of <paramref name="spec"/> (validated here once).</summary>
    public FastWarmupStableDecay(WarmupStableDecay spec) : base(spec)
    {
        spec.Validate();
        _formula = new Formula(spec.LearningRate, spec.WarmupSteps, (double)spec.WarmupSteps + spec.StableSteps, spec.DecaySteps,
            spec.LearningRate - spec.MinLearningRate, spec.Form == CooldownForm.OneMinusSqrt);
    }

    /// <inheritdoc/>
    protected override double Value(long step) => StepKernel.At(_formula, step);

    /// <inheritdoc/>
    protected override void FillChecked(long firstStep, Span<double> d) => StepKernel.Fill(firstStep, d, _formula);

    /// <summary>lr (t/W) | lr | lr - span g(min((t - stableEnd)/D, 1)), span = lr - min computed once (the Reference computes the same double).</summary>
    readonly struct Formula(double lr, double warmup, double stableEnd, double decay, double span, bool sqrt) : IStepFormula
    {
        /// <summary>Every phase in every lane, then t &lt; W ? warm : t &lt; stableEnd ? lr : cool (written W &gt; t: the same
        /// predicate, false for NaN either way).</summary>
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double>
        {
            TV lrV = TV.Create(lr), w = TV.Create(warmup), s = TV.Create(stableEnd);
            TV warm = lrV * (t / w);
            TV x = TV.Min((t - s) / TV.Create(decay), TV.Create(1.0));
            TV cool = lrV - TV.Create(span) * (sqrt ? TV.Sqrt(x) : x);
            return TV.SelectGreater(w, t, warm, TV.SelectGreater(s, t, lrV, cool));
        }
    }
}

/// <summary><see cref="InverseSqrtDecay"/> (Vaswani et al. 2017 in fairseq's form): lr (t/W) during warm-up, then lr sqrt(W/t).</summary>
public sealed class FastInverseSqrtDecay(InverseSqrtDecay spec) : RangeSchedule(spec)
{
    readonly Formula _formula = new(spec.LearningRate, spec.WarmupSteps);

    /// <inheritdoc/>
    protected override double Value(long step) => StepKernel.At(_formula, step);

    /// <inheritdoc/>
    protected override void FillChecked(long firstStep, Span<double> d) => StepKernel.Fill(firstStep, d, _formula);

    readonly struct Formula(double lr, double warmup) : IStepFormula
    {
        /// <summary>t &lt; W ? lr (t/W) : lr sqrt(W/t), both computed in every lane (written W &gt; t, the same predicate).</summary>
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double>
        {
            TV lrV = TV.Create(lr), w = TV.Create(warmup);
            return TV.SelectGreater(w, t, lrV * (t / w), lrV * TV.Sqrt(w / t));
        }
    }
}
