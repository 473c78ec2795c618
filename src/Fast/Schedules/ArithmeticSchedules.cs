using System.Numerics.Tensors;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Schedules made of +, -, *, /, min and floor only. Their range fills run as TensorPrimitives passes in
// the Reference's operation order; each of those ops is correctly rounded (IEEE 754), so every element
// has the Reference's bits.

/// <summary><see cref="ConstantLearningRate"/>.</summary>
public sealed class FastConstant(ConstantLearningRate spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.LearningRate;

    protected override void FillChecked(long firstStep, Span<double> destination) => destination.Fill(spec.LearningRate);
}

/// <summary><see cref="TimeBasedDecay"/>: <c>lr0 / (1 + k*t)</c>.</summary>
public sealed class FastTimeBasedDecay(TimeBasedDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d)
    {
        Ramp(firstStep, d);
        TensorPrimitives.Multiply(d, spec.DecayRate, d);       // k*t
        TensorPrimitives.Add(d, 1.0, d);                       // 1 + k*t
        TensorPrimitives.Divide(spec.InitialLearningRate, d, d);
    }
}

/// <summary><see cref="InverseTimeDecay"/>: <c>lr0 / (1 + rate * p)</c>, p = t/T (floored if staircase).</summary>
public sealed class FastInverseTimeDecay(InverseTimeDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d)
    {
        Ramp(firstStep, d);
        TensorPrimitives.Divide(d, (double)spec.DecaySteps, d);
        if (spec.Staircase) TensorPrimitives.Floor(d, d);
        TensorPrimitives.Multiply(d, spec.DecayRate, d);
        TensorPrimitives.Add(d, 1.0, d);
        TensorPrimitives.Divide(spec.InitialLearningRate, d, d);
    }
}

/// <summary><see cref="LinearDecay"/>: <c>(lr0 - end) * (1 - min(t, T)/T) + end</c>.</summary>
public sealed class FastLinearDecay(LinearDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d)
    {
        double T = spec.DecaySteps;
        Ramp(firstStep, d);
        TensorPrimitives.Min(d, T, d);
        TensorPrimitives.Divide(d, T, d);
        TensorPrimitives.Subtract(1.0, d, d);
        TensorPrimitives.Multiply(d, spec.InitialLearningRate - spec.EndLearningRate, d);
        TensorPrimitives.Add(d, spec.EndLearningRate, d);
    }
}

/// <summary><see cref="LinearWarmup"/>: <c>(target - lr0) * (min(t, W)/W) + lr0</c>.</summary>
public sealed class FastLinearWarmup(LinearWarmup spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> d)
    {
        double W = spec.WarmupSteps;
        Ramp(firstStep, d);
        TensorPrimitives.Min(d, W, d);
        TensorPrimitives.Divide(d, W, d);
        TensorPrimitives.Multiply(d, spec.TargetLearningRate - spec.InitialLearningRate, d);
        TensorPrimitives.Add(d, spec.InitialLearningRate, d);
    }
}
