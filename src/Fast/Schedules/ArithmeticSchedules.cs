using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Kernels;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Schedules made of +, -, *, /, min and floor only. Their range fills are one fused vector pass at every width the CPU has
// (StepKernel) performing the Reference's operations in the Reference's order; each of those ops is
// correctly rounded (IEEE 754), so every element has the Reference's bits.

/// <summary><see cref="ConstantLearningRate"/>.</summary>
internal sealed class FastConstant(ConstantLearningRate spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.LearningRate;

    protected override void FillChecked(long firstStep, Span<double> destination) => destination.Fill(spec.LearningRate);
}

/// <summary><see cref="TimeBasedDecay"/>: <c>lr0 / (1 + k*t)</c>.</summary>
internal sealed class FastTimeBasedDecay(TimeBasedDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d) =>
        StepKernel.Fill(firstStep, d, new Formula(spec.InitialLearningRate, spec.DecayRate));

    readonly struct Formula(double lr0, double k) : IStepFormula
    {
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double> => TV.Create(lr0) / (TV.Create(1.0) + TV.Create(k) * t);
    }
}

/// <summary><see cref="InverseTimeDecay"/>: <c>lr0 / (1 + rate * p)</c>, p = t/T (floored if staircase).</summary>
internal sealed class FastInverseTimeDecay(InverseTimeDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d) =>
        StepKernel.Fill(firstStep, d, new Formula(spec.InitialLearningRate, spec.DecaySteps, spec.DecayRate, spec.Staircase));

    readonly struct Formula(double lr0, double steps, double rate, bool staircase) : IStepFormula
    {
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double>
        {
            TV p = t / TV.Create(steps);
            if (staircase) p = TV.Floor(p);
            return TV.Create(lr0) / (TV.Create(1.0) + TV.Create(rate) * p);
        }
    }
}

/// <summary><see cref="LinearDecay"/>: <c>(lr0 - end) * (1 - min(t, T)/T) + end</c>.</summary>
internal sealed class FastLinearDecay(LinearDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d) =>
        StepKernel.Fill(firstStep, d, new Formula(spec.InitialLearningRate - spec.EndLearningRate, spec.DecaySteps, spec.EndLearningRate));

    readonly struct Formula(double span, double steps, double end) : IStepFormula
    {
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double> =>
            TV.Create(span) * (TV.Create(1.0) - TV.Min(t, TV.Create(steps)) / TV.Create(steps)) + TV.Create(end);
    }
}

/// <summary><see cref="LinearWarmup"/>: <c>(target - lr0) * (min(t, W)/W) + lr0</c>.</summary>
internal sealed class FastLinearWarmup(LinearWarmup spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d) =>
        StepKernel.Fill(firstStep, d, new Formula(spec.TargetLearningRate - spec.InitialLearningRate, spec.WarmupSteps, spec.InitialLearningRate));

    readonly struct Formula(double delta, double steps, double start) : IStepFormula
    {
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double> =>
            TV.Create(delta) * (TV.Min(t, TV.Create(steps)) / TV.Create(steps)) + TV.Create(start);
    }
}
