using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Properties.Schedules;
using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// torch's schedulers: the Fast evaluator equals the Reference record bit for bit (Fill in double and float, At in
/// order and out of order, the cycled momentum), for random arguments; the Fast chainable forms run the Reference's
/// own Chain from a cursor, so no tolerance is needed. Steps stay below a few thousand: the Reference's At is O(t).
/// </summary>
public class TorchScheduleProperties
{
    static readonly Gen<double> Lr = ScheduleGens.LearningRate;
    static readonly Gen<double> Factor = ScheduleGens.Uniform(0.01, 1);

    static readonly Gen<ISchedule> Chainable = Gen.OneOf(
        from lr in Lr from s in ScheduleGens.Long(1, 50) from g in ScheduleGens.Uniform(0.1, 1)
        select (ISchedule)new StepLR { InitialLearningRate = lr, StepSize = s, Gamma = g },
        from lr in Lr from a in Factor from b in Gen.OneOf(Factor, Gen.Constant(0.0), Gen.Constant(1.0)) from n in ScheduleGens.Long(1, 200)
        select (ISchedule)new LinearLR { InitialLearningRate = lr, StartFactor = a, EndFactor = b, TotalIters = n },
        from lr in Lr from f in Factor from n in ScheduleGens.Long(0, 200)
        select (ISchedule)new ConstantLR { InitialLearningRate = lr, Factor = f, TotalIters = n },
        from lr in Lr from n in ScheduleGens.Long(1, 300) from p in ScheduleGens.Uniform(0, 4)
        select (ISchedule)new PolynomialLR { InitialLearningRate = lr, TotalIters = n, Power = p },
        from lr in Lr from g in ScheduleGens.Uniform(0.9, 1)
        select (ISchedule)new MultiplicativeLR(lr, e => e % 7 == 0 ? g * g : g),
        from lr in Lr from g in ScheduleGens.Uniform(0.9, 1)
        select (ISchedule)new ExponentialLR { InitialLearningRate = lr, Gamma = g, Chainable = true },
        from lr in Lr from t in ScheduleGens.Long(1, 200) from min in Gen.OneOf(Gen.Constant(0.0), ScheduleGens.LogUniform(-8, -6))
        select (ISchedule)new CosineAnnealing { InitialLearningRate = lr, TMax = t, MinLearningRate = min, Chainable = true });

    static readonly Gen<CyclicLR> Cyclic =
        from b in Lr from amp in Lr from up in ScheduleGens.Long(1, 100) from down in Gen.OneOf(Gen.Constant<long?>(null), ScheduleGens.Long(1, 100).Select(x => (long?)x))
        from mode in Gen.Elements(CyclicalMode.Triangular, CyclicalMode.Triangular2, CyclicalMode.ExpRange)
        from g in ScheduleGens.Uniform(0.99, 1) from custom in ScheduleGens.Bool from iterations in ScheduleGens.Bool
        select new CyclicLR
        {
            BaseLearningRate = b, MaxLearningRate = b + amp, StepSizeUp = up, StepSizeDown = down, Mode = mode, Gamma = g,
            ScaleFunction = custom ? x => 1 / (1 + 0.01 * x) : null,
            ScaleMode = iterations ? CyclicScaleMode.Iterations : CyclicScaleMode.Cycle,
        };

    [Property(MaxTest = 150)]
    public Property Chainable_fast_equals_reference() =>
        Prop.ForAll((from s in Chainable from first in ScheduleGens.Long(0, 500) from n in Gen.Choose(0, 300) select (s, first, n)).ToArbitrary(),
            x => FastEqualsReference.SameBits(x.s, x.first, x.n));

    [Property(MaxTest = 100)]
    public Property Chainable_fast_at_in_any_order_equals_reference() =>
        Prop.ForAll((from s in Chainable from steps in Gen.ArrayOf(ScheduleGens.Long(0, 600), 8) select (s, steps)).ToArbitrary(), x =>
        {
            var fast = FastSchedule.From(x.s);
            foreach (long t in x.steps) NumericAssert.BitExact(x.s.At(t), fast.At(t), label: $"{x.s} At({t})");
            return true;
        });

    [Property(MaxTest = 150)]
    public Property CyclicLR_fast_equals_reference_lr_and_momentum() =>
        Prop.ForAll((from s in Cyclic from first in ScheduleGens.Long(0, 5000) from n in Gen.Choose(0, 300) select (s, first, n)).ToArbitrary(), x =>
        {
            var fast = (FastCyclicLR)FastSchedule.From(x.s);
            for (long t = x.first; t < x.first + x.n; t++) NumericAssert.BitExact(x.s.MomentumAt(t), fast.MomentumAt(t), label: $"{x.s} momentum at {t}");
            return FastEqualsReference.SameBits(x.s, x.first, x.n);
        });

    [Property(MaxTest = 100)]
    public Property OneCycle_fast_momentum_equals_reference() =>
        Prop.ForAll((from s in ScheduleGens.OneCycle from bm in ScheduleGens.Uniform(0.5, 0.9) from t in ScheduleGens.Long(0, 1 << 20) select (s, bm, t)).ToArbitrary(), x =>
        {
            var s = x.s with { BaseMomentum = x.bm, MaxMomentum = 0.95 };
            long t = x.t % (s.TotalSteps + 1);
            var fast = (FastOneCycle)FastSchedule.From(s);
            NumericAssert.BitExact(s.MomentumAt(t), fast.MomentumAt(t), label: $"{s} momentum at {t}");
            return true;
        });
}
