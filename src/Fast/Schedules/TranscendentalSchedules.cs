using NetNumerics.Reference.Schedules;
using NetNumerics.Fast.Kernels;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Schedules whose closed form calls Math.Exp / Math.Pow / Math.Cos. The range fill calls the same scalar
// Math function per element rather than TensorPrimitives.Exp/Cos/Pow: the vector versions are different
// polynomial approximations (their bits differ from Math.Exp in a large share of elements) and
// System.Numerics.Tensors documents no error bound for them, so no bound could be derived and asserted.
// A schedule is evaluated once per training step, so bit-exactness is worth more than the vector speed-up.

/// <summary><see cref="NaturalExponentialDecay"/>: <c>lr0 * exp(-k t)</c>.</summary>
internal sealed class FastNaturalExponentialDecay(NaturalExponentialDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.InitialLearningRate * Math.Exp(-spec.DecayRate * step);
}

/// <summary><see cref="PolynomialDecay"/> (Keras), the Reference formula per element.</summary>
internal sealed class FastPolynomialDecay(PolynomialDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);
}

/// <summary><see cref="CosineDecay"/> (Keras), the Reference formula per element.</summary>
internal sealed class FastCosineDecay(CosineDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);
}

/// <summary>
/// <see cref="CyclicalLearningRate"/> (bckenstler CLR). Triangular mode is arithmetic only (floor, abs, max,
/// +, -, *, /) and fills in one fused vector pass (StepKernel, every width) in the Reference's order; triangular2 and exp_range call
/// Math.Pow, so they run the Reference formula per element.
/// </summary>
internal sealed class FastCyclicalLearningRate : RangeSchedule
{
    readonly CyclicalLearningRate _spec;

    public FastCyclicalLearningRate(CyclicalLearningRate spec) : base(spec)
    {
        spec.Validate();
        _spec = spec;
    }

    protected override double Value(long step) => _spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        if (_spec.Mode == CyclicalMode.Triangular)
            StepKernel.Fill(firstStep, destination, new Triangular(_spec.BaseLearningRate, _spec.MaxLearningRate - _spec.BaseLearningRate, _spec.StepSize));
        else
            base.FillChecked(firstStep, destination);
    }

    /// <summary>cycle = floor(1 + t/(2s)); x = |t/s - 2 cycle + 1|; base + (max - base) * max(0, 1 - x) (* scale 1, exact).</summary>
    readonly struct Triangular(double baseLr, double amplitude, double stepSize) : IStepFormula
    {
        public TV Invoke<TV>(TV t) where TV : struct, IVec<TV, double>
        {
            TV one = TV.Create(1.0);
            TV cycle = TV.Floor(one + t / TV.Create(2.0 * stepSize));
            TV x = TV.Abs(t / TV.Create(stepSize) - TV.Create(2.0) * cycle + one);
            return TV.Create(baseLr) + TV.Create(amplitude) * TV.Max(TV.Create(0.0), one - x);
        }
    }
}

/// <summary>
/// <see cref="OneCycle"/> (PyTorch OneCycleLR) with the phases computed once; same arithmetic as the
/// Reference per element. Steps above TotalSteps throw, as in PyTorch.
/// </summary>
internal sealed class FastOneCycle : RangeSchedule
{
    readonly OneCycle _spec;
    readonly (double EndStep, double Start, double End)[] _phases;

    public FastOneCycle(OneCycle spec) : base(spec)
    {
        spec.Validate();
        _spec = spec;
        _phases = spec.Phases();
    }

    protected override double Value(long step)
    {
        if (step > _spec.TotalSteps) return _spec.At(step);   // throws the Reference's error
        double t = step, startStep = 0;
        for (int i = 0; ; i++)
        {
            var (endStep, start, end) = _phases[i];
            if (t <= endStep || i == _phases.Length - 1)
            {
                double pct = (t - startStep) / (endStep - startStep);
                return _spec.Anneal == AnnealStrategy.Cos ? OneCycle.AnnealCos(start, end, pct) : OneCycle.AnnealLinear(start, end, pct);
            }
            startStep = endStep;
        }
    }

    /// <summary>The momentum (Adam: beta1) torch sets at this step, same arithmetic as <see cref="OneCycle.MomentumAt"/>.</summary>
    public double MomentumAt(long step)
    {
        Guard.NonNegative(step, "step");
        if (!_spec.CycleMomentum || step > _spec.TotalSteps) return _spec.MomentumAt(step);   // throws the Reference's error
        double t = step, startStep = 0;
        for (int i = 0; ; i++)
        {
            double endStep = _phases[i].EndStep;
            if (t <= endStep || i == _phases.Length - 1)
            {
                double pct = (t - startStep) / (endStep - startStep);
                var (start, end) = _spec.MomentumPhase(i);
                return _spec.Anneal == AnnealStrategy.Cos ? OneCycle.AnnealCos(start, end, pct) : OneCycle.AnnealLinear(start, end, pct);
            }
            startStep = endStep;
        }
    }

    protected override void CheckRange(long firstStep, int length)
    {
        base.CheckRange(firstStep, length);
        if (length > 0 && firstStep + length - 1 > _spec.TotalSteps)
            throw new ArgumentOutOfRangeException("destination", length,
                $"A one-cycle schedule ends at step {_spec.TotalSteps}, but the range asked for reaches step {firstStep + length - 1} (firstStep {firstStep}, destination length {length}).");
    }
}
