using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Kernels;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Schedules;

// Schedules made of +, -, *, /, min and sqrt, with phases. IEEE 754 sqrt is correctly rounded like the other four, so the
// range fill is one fused Vector512 pass (StepKernel) that computes every phase's value in every lane with the Reference's
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
    protected override double Value(long step) => _formula.Invoke(step);

    /// <inheritdoc/>
    protected override void FillChecked(long firstStep, Span<double> d) => StepKernel.Fill(firstStep, d, _formula);

    /// <summary>lr (t/W) | lr | lr - span g(min((t - stableEnd)/D, 1)), span = lr - min computed once (the Reference computes the same double).</summary>
    readonly struct Formula(double lr, double warmup, double stableEnd, double decay, double span, bool sqrt) : IStepFormula
    {
        public double Invoke(double t)
        {
            if (t < warmup) return lr * (t / warmup);
            if (t < stableEnd) return lr;
            double x = Math.Min((t - stableEnd) / decay, 1.0);
            return lr - span * (sqrt ? Math.Sqrt(x) : x);
        }

        public Vector512<double> Invoke(Vector512<double> t)
        {
            var lrV = Vector512.Create(lr);
            var warm = lrV * (t / Vector512.Create(warmup));
            var x = Vector512.Min((t - Vector512.Create(stableEnd)) / Vector512.Create(decay), Vector512.Create(1.0));
            var cool = lrV - Vector512.Create(span) * (sqrt ? Vector512.Sqrt(x) : x);
            return Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(warmup)), warm,
                Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(stableEnd)), lrV, cool));
        }
    }
}

/// <summary><see cref="InverseSqrtDecay"/> (Vaswani et al. 2017 in fairseq's form): lr (t/W) during warm-up, then lr sqrt(W/t).</summary>
public sealed class FastInverseSqrtDecay(InverseSqrtDecay spec) : RangeSchedule(spec)
{
    readonly Formula _formula = new(spec.LearningRate, spec.WarmupSteps);

    /// <inheritdoc/>
    protected override double Value(long step) => _formula.Invoke(step);

    /// <inheritdoc/>
    protected override void FillChecked(long firstStep, Span<double> d) => StepKernel.Fill(firstStep, d, _formula);

    readonly struct Formula(double lr, double warmup) : IStepFormula
    {
        public double Invoke(double t) => t < warmup ? lr * (t / warmup) : lr * Math.Sqrt(warmup / t);

        public Vector512<double> Invoke(Vector512<double> t)
        {
            var lrV = Vector512.Create(lr);
            var w = Vector512.Create(warmup);
            return Vector512.ConditionalSelect(Vector512.LessThan(t, w), lrV * (t / w), lrV * Vector512.Sqrt(w / t));
        }
    }
}
