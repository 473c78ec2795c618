using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Kernels;
using System.Runtime.Intrinsics;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Schedules made of +, -, *, /, min and floor only. Their range fills are one fused Vector512 pass
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
        public double Invoke(double t) => lr0 / (1.0 + k * t);
        public Vector512<double> Invoke(Vector512<double> t) =>
            Vector512.Create(lr0) / (Vector512.Create(1.0) + Vector512.Create(k) * t);
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
        public double Invoke(double t)
        {
            double p = t / steps;
            if (staircase) p = Math.Floor(p);
            return lr0 / (1.0 + rate * p);
        }

        public Vector512<double> Invoke(Vector512<double> t)
        {
            var p = t / Vector512.Create(steps);
            if (staircase) p = Vector512.Floor(p);
            return Vector512.Create(lr0) / (Vector512.Create(1.0) + Vector512.Create(rate) * p);
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
        public double Invoke(double t) => span * (1.0 - Math.Min(t, steps) / steps) + end;
        public Vector512<double> Invoke(Vector512<double> t) =>
            Vector512.Create(span) * (Vector512.Create(1.0) - Vector512.Min(t, Vector512.Create(steps)) / Vector512.Create(steps))
            + Vector512.Create(end);
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
        public double Invoke(double t) => delta * (Math.Min(t, steps) / steps) + start;
        public Vector512<double> Invoke(Vector512<double> t) =>
            Vector512.Create(delta) * (Vector512.Min(t, Vector512.Create(steps)) / Vector512.Create(steps)) + Vector512.Create(start);
    }
}
