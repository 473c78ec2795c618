using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Fast.Kernels;
using NetNumerics.Schedules;

namespace NetNumerics.Properties.Schedules;

/// <summary>
/// Fast (closed form, O(1) At and the range Fill) equals Reference bit for bit, 0 ULP, double and float,
/// for every schedule whose Fast form performs the Reference's floating-point operations in the same order
/// (TensorPrimitives Add/Subtract/Multiply/Divide/Min/Floor are correctly rounded, Math.Exp/Pow/Cos are
/// called per element in both). Compared with BitConverter.DoubleToInt64Bits / SingleToInt32Bits.
/// </summary>
public class FastEqualsReference
{
    /// <summary>A range somewhere in [0, maxFirst] of 0..300 steps (crossing Vector512 bodies and tails).</summary>
    static Gen<(long First, int Length)> Range(long maxFirst) =>
        from first in Gen.OneOf(ScheduleGens.Long(0, 20), ScheduleGens.Long(0, maxFirst))
        from n in Gen.Choose(0, 300)
        select (first, n);

    /// <summary>Every element of Fill (double and float) and At at each step has the Reference's bits.</summary>
    public static Property SameBits(ISchedule reference, long first, int n)
    {
        var once = SameBits(reference, first, n, forceVector512: false);
        return once.Item1 ? SameBits(reference, first, n, forceVector512: true).Item2 : once.Item2;
    }

    /// <summary>With <paramref name="forceVector512"/> the fill takes the Vector512 path even on a CPU without it (then emulated
    /// lane by lane with the same IEEE operations), so the vector formulas are checked on AVX2-only machines too.</summary>
    static (bool, Property) SameBits(ISchedule reference, long first, int n, bool forceVector512)
    {
        var fast = FastSchedule.From(reference);
        var d = new double[n];
        var f = new float[n];
        bool previous = StepKernel.ForceVector512;
        StepKernel.ForceVector512 = forceVector512;
        try
        {
            fast.Fill(first, d);
            fast.Fill(first, f);
        }
        finally { StepKernel.ForceVector512 = previous; }
        for (int i = 0; i < n; i++)
        {
            double r = reference.At(first + i);
            double a = fast.At(first + i);
            if (BitConverter.DoubleToInt64Bits(r) != BitConverter.DoubleToInt64Bits(d[i])
                || BitConverter.DoubleToInt64Bits(r) != BitConverter.DoubleToInt64Bits(a)
                || BitConverter.SingleToInt32Bits((float)r) != BitConverter.SingleToInt32Bits(f[i]))
                return (false, false.Label($"{reference} step {first + i} (Vector512 forced: {forceVector512}): reference {r:R}, fill {d[i]:R}, at {a:R}, float fill {f[i]:R}"));
        }
        return (true, true.ToProperty());
    }

    static Property Check<T>(Gen<T> schedules, long maxFirst) where T : ISchedule =>
        Prop.ForAll((from s in schedules from r in Range(maxFirst) select (s, r)).ToArbitrary(),
            x => SameBits(x.s, x.r.First, x.r.Length));

    [Property(MaxTest = 100)] public Property Constant() => Check(ScheduleGens.Constant, 1L << 40);
    [Property(MaxTest = 100)] public Property TimeBased() => Check(ScheduleGens.TimeBased, 1L << 40);
    [Property(MaxTest = 100)] public Property StepDecay() => Check(ScheduleGens.Step, 5000);
    [Property(MaxTest = 100)] public Property NaturalExponential() => Check(ScheduleGens.NaturalExp, 100_000);
    [Property(MaxTest = 100)] public Property KerasExponential() => Check(ScheduleGens.Exponential, 100_000);
    [Property(MaxTest = 100)] public Property Linear() => Check(ScheduleGens.Linear, 10_000);
    [Property(MaxTest = 100)] public Property InverseTime() => Check(ScheduleGens.InverseTime, 1L << 40);
    [Property(MaxTest = 100)] public Property Polynomial() => Check(ScheduleGens.Polynomial, 10_000);
    [Property(MaxTest = 100)] public Property PiecewiseConstant() => Check(ScheduleGens.Piecewise, 2000);
    [Property(MaxTest = 100)] public Property CosineDecay() => Check(ScheduleGens.Cosine, 10_000);
    [Property(MaxTest = 100)] public Property LinearWarmup() => Check(ScheduleGens.Warmup, 5000);
    [Property(MaxTest = 100)] public Property Cyclical() => Check(ScheduleGens.Cyclical, 100_000);
    [Property(MaxTest = 100)] public Property WarmupStableDecay() => Check(ScheduleGens.Wsd, 1500);
    [Property(MaxTest = 100)] public Property InverseSqrt() => Check(ScheduleGens.InverseSqrt, 1L << 40);

    /// <summary>Ranges reaching past 2^53 take the scalar path of StepKernel (steps no longer exact in a double lane).</summary>
    [Property(MaxTest = 30)]
    public Property Sqrt_schedules_near_and_past_two_to_the_53() =>
        Prop.ForAll((from s in Gen.OneOf(ScheduleGens.Wsd.Select(s => (ISchedule)s), ScheduleGens.InverseSqrt.Select(s => (ISchedule)s))
                     from back in Gen.Choose(0, 300) from n in Gen.Choose(0, 300) select (s, first: (1L << 53) - back, n)).ToArbitrary(),
            x => SameBits(x.s, x.first, x.n));

    [Property(MaxTest = 100)]
    public Property OneCycle() =>
        Prop.ForAll((from s in ScheduleGens.OneCycle
                     from first in ScheduleGens.Long(0, s.TotalSteps)
                     from n in Gen.Choose(0, (int)Math.Min(300, s.TotalSteps - first + 1))
                     select (s, first, n)).ToArbitrary(),
            x => SameBits(x.s, x.first, x.n));

    // Recursive References whose Fast form is the same product/walk in O(1)/O(log t)/O(milestones):
    // CumulativeTimeDecay (same product, incremental fill), MultiStepDecay (product over milestones only),
    // CosineWarmRestarts (integer counters found by subtracting whole periods). Steps are kept small because
    // the Reference is O(t).
    [Property(MaxTest = 100)] public Property CumulativeTimeDecay() => Check(ScheduleGens.CumulativeTime, 3000);
    [Property(MaxTest = 100)] public Property MultiStep() => Check(ScheduleGens.MultiStep, 1000);
    [Property(MaxTest = 100)] public Property WarmRestarts() => Check(ScheduleGens.Sgdr, 3000);

    [Property(MaxTest = 100)] public Property JoinAndProduct() => Check(ScheduleGens.Combined, 2000);

    [Property(MaxTest = 50)]
    public Property UserFunction() =>
        Prop.ForAll((from k in ScheduleGens.LogUniform(-4, 0) from r in Range(10_000) select (k, r)).ToArbitrary(),
            x => SameBits(new FunctionSchedule(t => 0.1 / Math.Sqrt(1 + x.k * t)), x.r.First, x.r.Length));
}
