using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Piecewise-constant schedules: the range fill evaluates each run once (the Reference's own scalar
// formula, so the same bits) and fills the run.

/// <summary><see cref="StepDecay"/>: <c>lr0 * drop^floor(...)</c>, constant between drops.</summary>
internal sealed class FastStepDecay(StepDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.InitialLearningRate * Math.Pow(spec.Drop, spec.DropsAt(step));

    /// <summary>Form Epoch: the next multiple of every; form EpochPlusOne: one less (when (1 + e) reaches it).</summary>
    protected override long RunEnd(long step)
    {
        long every = spec.EpochsDrop;
        long u = spec.Form == StepDecayForm.Epoch ? step : step + 1;
        return SafeAdd(step, every - u % every);
    }

    protected override void FillChecked(long firstStep, Span<double> destination) => FillRuns(firstStep, destination);
}

/// <summary><see cref="ExponentialDecay"/> (Keras): per element, or per run when staircase.</summary>
internal sealed class FastExponentialDecay(ExponentialDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override long RunEnd(long step) => spec.Staircase ? SafeAdd(step, spec.DecaySteps - step % spec.DecaySteps) : step + 1;

    protected override void FillChecked(long firstStep, Span<double> destination) => FillRuns(firstStep, destination);
}

/// <summary><see cref="PiecewiseConstantDecay"/> (Keras): binary search for the segment, then runs.</summary>
internal sealed class FastPiecewiseConstantDecay : RangeSchedule
{
    readonly long[] _boundaries;
    readonly double[] _values;

    public FastPiecewiseConstantDecay(PiecewiseConstantDecay spec) : base(spec)
    {
        spec.Validate();
        _boundaries = spec.Boundaries.ToArray();
        _values = spec.Values.ToArray();
    }

    /// <summary>The first i with t &lt;= b[i], else n.</summary>
    int Segment(long step)
    {
        int i = Array.BinarySearch(_boundaries, step);
        return i >= 0 ? i : ~i;
    }

    protected override double Value(long step) => _values[Segment(step)];

    protected override long RunEnd(long step)
    {
        int i = Segment(step);
        return i < _boundaries.Length ? _boundaries[i] + 1 : long.MaxValue;
    }

    protected override void FillChecked(long firstStep, Span<double> destination) => FillRuns(firstStep, destination);
}

/// <summary>
/// <see cref="MultiStepDecay"/> in closed form: <c>lr0</c> times <c>gamma^c</c> for each distinct milestone
/// m &lt;= t in increasing order (c = its multiplicity). The Reference walks every epoch but multiplies at
/// exactly these milestones in this order, so the bits are the same; this is O(milestones).
/// </summary>
internal sealed class FastMultiStepDecay : RangeSchedule
{
    readonly long[] _milestones;   // distinct, increasing
    readonly int[] _counts;
    readonly double _lr0, _gamma;

    public FastMultiStepDecay(MultiStepDecay spec) : base(spec)
    {
        var groups = spec.Milestones.GroupBy(m => m).OrderBy(g => g.Key).ToArray();
        _milestones = groups.Select(g => g.Key).ToArray();
        _counts = groups.Select(g => g.Count()).ToArray();
        _lr0 = spec.InitialLearningRate;
        _gamma = spec.Gamma;
    }

    protected override double Value(long step)
    {
        double lr = _lr0;
        for (int i = 0; i < _milestones.Length && _milestones[i] <= step; i++)
            lr = lr * Math.Pow(_gamma, _counts[i]);
        return lr;
    }

    protected override long RunEnd(long step)
    {
        foreach (long m in _milestones) if (m > step) return m;
        return long.MaxValue;
    }

    protected override void FillChecked(long firstStep, Span<double> destination) => FillRuns(firstStep, destination);
}
