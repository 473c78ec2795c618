using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>
/// The schedules whose range fill runs through the width-generic step kernel (time-based, inverse-time, linear decay,
/// linear warm-up, triangular CLR, WSD, inverse-sqrt) give the same bits at every vector width: 512, 256 and 128 bits and
/// one scalar lane, each forced whatever this machine accelerates (a width it lacks runs in software: slower, the same IEEE
/// operations), as the GEMM's every-width property does. The formula is written once over IVec and every operation in it
/// is correctly rounded, so 0 ULP is the only tolerance that follows. Compared against the scalar-lane fill, not the
/// Reference, so this holds independently of <see cref="FastEqualsReference"/>.
/// </summary>
public class StepKernelWidthProperties
{
    static readonly VectorWidth[] EveryWidth = [VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128, VectorWidth.Scalar];

    static Gen<ISchedule> StepKernelSchedules => Gen.OneOf(
        ScheduleGens.TimeBased.Select(s => (ISchedule)s), ScheduleGens.InverseTime.Select(s => (ISchedule)s),
        ScheduleGens.Linear.Select(s => (ISchedule)s), ScheduleGens.Warmup.Select(s => (ISchedule)s),
        ScheduleGens.Cyclical.Select(s => (ISchedule)(s with { Mode = CyclicalMode.Triangular })),
        ScheduleGens.Wsd.Select(s => (ISchedule)s), ScheduleGens.InverseSqrt.Select(s => (ISchedule)s));

    /// <summary>Ranges from step 0-20 or anywhere below 2^40, or ending just below 2^53 (the last range the vector lanes
    /// take), of 0 to 3 x 16 + 7 steps: every body/tail split of every width's two-vector loop.</summary>
    static Gen<(long First, int Length)> Ranges =>
        from n in Gen.Choose(0, 55)
        from first in Gen.OneOf(ScheduleGens.Long(0, 20), ScheduleGens.Long(0, 1L << 40), Gen.Constant((1L << 53) - 1 - n))
        select (first, n);

    static bool SameBitsAtEveryWidth(ISchedule schedule, long first, int n)
    {
        var fast = FastSchedule.From(schedule);
        var (scalar, scalarFloat) = FastEqualsReference.Fill(fast, first, n, VectorWidth.Scalar, force: true);
        foreach (var width in EveryWidth[..^1])
        {
            var (d, f) = FastEqualsReference.Fill(fast, first, n, width, force: true);
            NumericAssert.BitExact<double>(scalar, d, label: $"{schedule} from step {first}: {width} against one lane");
            NumericAssert.BitExact<float>(scalarFloat, f, label: $"{schedule} float fill from step {first}: {width} against one lane");
        }
        return true;
    }

    [Property(MaxTest = 200)]
    public Property Every_vector_width_gives_the_same_bits() =>
        Prop.ForAll((from s in StepKernelSchedules from r in Ranges select (s, r)).ToArbitrary(),
            x => SameBitsAtEveryWidth(x.s, x.r.First, x.r.Length));

    /// <summary>The same over the whole non-negative double range of rates (0, subnormal, up to MaxValue / 16), where
    /// values underflow to subnormals or 0: every width must round them alike (no flush to zero in any instantiation).</summary>
    [Xunit.Fact]
    public void Every_vector_width_gives_the_same_bits_on_the_whole_range_of_rates()
    {
        using var _ = ScheduleGens.UseLearningRates(Gen.Frequency(
            (2, FloatGen.Finite<double>().Select(x => Math.Min(Math.Abs(x), double.MaxValue / 16))),
            (1, Gen.Elements(0.0, double.Epsilon, 1e-320, double.MaxValue / 16))));
        Prop.ForAll((from s in StepKernelSchedules from r in Ranges select (s, r)).ToArbitrary(),
            x => SameBitsAtEveryWidth(x.s, x.r.First, x.r.Length)).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }
}
