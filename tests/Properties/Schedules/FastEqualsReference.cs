using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>
/// Fast (closed form, O(1) At and the range Fill) equals Reference bit for bit, 0 ULP, double and float, at every
/// vector width, for every schedule whose Fast form performs the Reference's floating-point operations in the same
/// order (Vector512 Add/Subtract/Multiply/Divide/Min/Floor are correctly rounded, Math.Exp/Pow/Cos are called per
/// element in both). The properties at the end extend this to the whole double range of learning rates (0,
/// subnormal, up to 1e307: results that underflow, overflow or are NaN must match too) and to steps anywhere up to
/// long.MaxValue - 300 (past 2^53, where steps are no longer exact doubles).
/// </summary>
public class FastEqualsReference
{
    /// <summary>A range somewhere in [0, maxFirst] of 0..300 steps (crossing Vector512 bodies and tails).</summary>
    static Gen<(long First, int Length)> Range(long maxFirst) =>
        from first in Gen.OneOf(ScheduleGens.Long(0, 20), ScheduleGens.Long(0, maxFirst))
        from n in Gen.Choose(0, 300)
        select (first, n);

    /// <summary>
    /// Every element of Fill (double and float, at every width) and At at each step has the Reference's bits. Widths the
    /// CPU does not accelerate (Vector512 on an AVX2 machine) run too, with the step kernel's width forced
    /// (StepKernel.ForceWidth: .NET then runs the same IEEE operation per lane in software), so every instantiation of
    /// the vector formulas is checked on every machine.
    /// </summary>
    public static bool SameBits(ISchedule reference, long first, int n)
    {
        var fast = FastSchedule.From(reference);
        var expected = new double[n];
        var at = new double[n];
        for (int i = 0; i < n; i++) { expected[i] = reference.At(first + i); at[i] = fast.At(first + i); }
        var expectedFloat = expected.Select(r => (float)r).ToArray();
        NumericAssert.BitExact<double>(expected, at, label: $"{reference} At from step {first}");
        foreach (var width in SimdWidth.Available)
        {
            var (d, f) = Fill(fast, first, n, width, force: false);
            NumericAssert.BitExact<double>(expected, d, label: $"{reference} Fill from step {first} at width {width}");
            NumericAssert.BitExact<float>(expectedFloat, f, label: $"{reference} float Fill from step {first} at width {width}");
        }
        foreach (var width in Enum.GetValues<VectorWidth>().Where(w => !SimdWidth.Available.Contains(w)))
        {
            var (d, f) = Fill(fast, first, n, width, force: true);
            NumericAssert.BitExact<double>(expected, d, label: $"{reference} Fill from step {first}, {width} forced");
            NumericAssert.BitExact<float>(expectedFloat, f, label: $"{reference} float Fill from step {first}, {width} forced");
        }
        return true;
    }

    /// <summary>Fast's Fill (double and float) at <paramref name="width"/>: under a SimdWidth cap, or with the step kernel's
    /// width forced (<paramref name="force"/>, for widths the CPU does not accelerate).</summary>
    internal static (double[], float[]) Fill(RangeSchedule fast, long first, int n, VectorWidth width, bool force)
    {
        var d = new double[n];
        var f = new float[n];
        VectorWidth? previous = StepKernel.ForceWidth;
        StepKernel.ForceWidth = force ? width : null;
        try
        {
            using (SimdWidth.Limit(force ? VectorWidth.Bits512 : width))
            {
                fast.Fill(first, d);
                fast.Fill(first, f);
            }
        }
        finally { StepKernel.ForceWidth = previous; }
        return (d, f);
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

    /// <summary>
    /// Learning rates over the whole non-negative double range: typical, any finite magnitude (uniform exponent, so
    /// subnormal and huge values are common), and the edges. Capped at MaxValue / 16 so that a cyclical schedule's
    /// max (base times at most 10) stays finite, as its record requires.
    /// </summary>
    static readonly Gen<double> WholeRange = Gen.Frequency(
        (2, ScheduleGens.LogUniform(-6, 0)),
        (2, FloatGen.Finite<double>().Select(x => Math.Min(Math.Abs(x), double.MaxValue / 16))),
        (1, Gen.Elements(0.0, double.Epsilon, 1e-320, double.MaxValue / 16)));

    static void CheckWholeRange(Func<Gen<ISchedule>> schedules, long maxFirst, int maxTest)
    {
        using var _ = ScheduleGens.UseLearningRates(WholeRange);
        Prop.ForAll((from s in schedules() from r in Range(maxFirst) select (s, r)).ToArbitrary(),
            x => SameBits(x.s, x.r.First, x.r.Length)).Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest));
    }

    [Xunit.Fact]
    public void Closed_forms_on_the_whole_double_range_of_rates_and_steps() =>
        CheckWholeRange(() => ScheduleGens.AnyClosedForm, long.MaxValue - 300, 300);

    /// <summary>
    /// WSD and inverse-sqrt decay on the whole range of rates (0, subnormal, up to MaxValue / 16) and steps (anywhere up to
    /// long.MaxValue - 300, past 2^53 too). What they do there: every value is lr times a factor in [0, 1] (t/W, 1,
    /// sqrt(W/t)) or <c>lr - (lr - min) g</c> with g in [0, 1], so nothing overflows; a subnormal lr gives subnormal values
    /// or 0 (gradual underflow, never flushed); 0 gives 0. Fast performs the same correctly rounded operations per lane.
    /// </summary>
    [Xunit.Fact]
    public void Wsd_and_inverse_sqrt_on_the_whole_double_range_of_rates_and_steps() =>
        CheckWholeRange(() => Gen.OneOf(ScheduleGens.Wsd.Select(s => (ISchedule)s), ScheduleGens.InverseSqrt.Select(s => (ISchedule)s)),
            long.MaxValue - 300, 200);

    [Xunit.Fact]
    public void OneCycle_on_the_whole_double_range_of_rates()
    {
        using var _ = ScheduleGens.UseLearningRates(WholeRange);
        OneCycle().Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Xunit.Fact]
    public void Recursive_forms_and_combinations_on_the_whole_double_range_of_rates() =>
        CheckWholeRange(() => Gen.OneOf(ScheduleGens.CumulativeTime.Select(s => (ISchedule)s), ScheduleGens.MultiStep.Select(s => (ISchedule)s),
            ScheduleGens.Sgdr.Select(s => (ISchedule)s), ScheduleGens.Combined), 2000, 200);
}
