using NetNumerics.Training.Callbacks;
using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Schedules;
using Xunit;

namespace NetNumerics.Properties.Schedules;

/// <summary>ReduceLROnPlateau under Keras and PyTorch bookkeeping, on random metric sequences.</summary>
public class PlateauProperties
{
    static Gen<ReduceLROnPlateau> Options =>
        from sem in Gen.Elements(PlateauSemantics.Keras, PlateauSemantics.PyTorch)
        from mode in Gen.Elements(PlateauMode.Min, PlateauMode.Max)
        from tmode in Gen.Elements(ThresholdMode.Absolute, ThresholdMode.Relative)
        from factor in ScheduleGens.Uniform(0.1, 0.9)
        from patience in ScheduleGens.Long(0, 5)
        from cooldown in ScheduleGens.Long(0, 4)
        from threshold in Gen.OneOf(Gen.Constant(0.0), ScheduleGens.LogUniform(-4, -1))
        from minLr in Gen.OneOf(Gen.Constant(0.0), ScheduleGens.LogUniform(-4, -1))
        select new ReduceLROnPlateau
        {
            Semantics = sem, Mode = mode, ThresholdMode = tmode, Factor = factor, Patience = patience,
            Cooldown = cooldown, Threshold = threshold, MinLearningRate = minLr,
        };

    /// <summary>Metrics on a coarse grid so that ties (no improvement) are common.</summary>
    static Gen<double[]> Metrics => Gen.Choose(0, 20).Select(i => i / 10.0).ArrayOf(60);

    static List<(PlateauState Before, double Metric, PlateauState After)> Run(ReduceLROnPlateau p, double lr0, double[] metrics)
    {
        var log = new List<(PlateauState, double, PlateauState)>();
        var s = p.Init(lr0);
        foreach (double m in metrics)
        {
            var next = p.Update(s, m);
            log.Add((s, m, next));
            s = next;
        }
        return log;
    }

    [Property(MaxTest = 300)]
    public Property Learning_rate_never_increases_and_never_goes_below_min_lr() =>
        Prop.ForAll((from p in Options from lr0 in ScheduleGens.LogUniform(-3, 0) from m in Metrics select (p, lr0, m)).ToArbitrary(), x =>
        {
            double lr0 = Math.Max(x.lr0, x.p.MinLearningRate);
            foreach (var (before, _, after) in Run(x.p, lr0, x.m))
                if (after.LearningRate > before.LearningRate || after.LearningRate < x.p.MinLearningRate)
                    return false.Label($"{before} -> {after}");
            return true.ToProperty();
        });

    /// <summary>
    /// A reduction at epoch e needs the P epochs ending at e to have failed to improve on the best metric known
    /// before each of them (P = patience for Keras, whose wait &gt;= patience; patience + 1 for PyTorch, whose
    /// num_bad_epochs &gt; patience; at least 1, since an improving epoch never reduces), and the previous
    /// reduction r to be far enough back: bad epochs are not counted during cooldown, so e - r &gt;= P + cooldown,
    /// less one for Keras when cooldown &gt; 0 (Keras counts the epoch on which its cooldown counter reaches 0).
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Reductions_only_happen_after_patience_bad_epochs_and_outside_cooldown() =>
        Prop.ForAll((from p in Options from m in Metrics select (p, m)).ToArbitrary(), x =>
        {
            var p = x.p;
            var log = Run(p, 1.0, x.m);
            long need = Math.Max(1, p.Semantics == PlateauSemantics.Keras ? p.Patience : p.Patience + 1);
            long gap = need + p.Cooldown - (p.Semantics == PlateauSemantics.Keras && p.Cooldown > 0 ? 1 : 0);
            int lastReduction = -1;
            for (int e = 0; e < log.Count; e++)
            {
                if (!(log[e].After.LearningRate < log[e].Before.LearningRate)) continue;
                if (e + 1 < need) return false.Label($"reduced at epoch {e} before {need} epochs were seen");
                for (long j = e - need + 1; j <= e; j++)
                    if (p.IsBetter(log[(int)j].Metric, log[(int)j].Before.Best))
                        return false.Label($"{p}: reduced at epoch {e} although epoch {j} improved");
                if (lastReduction >= 0 && e - lastReduction < gap)
                    return false.Label($"{p}: reductions at {lastReduction} and {e}, closer than {gap}");
                lastReduction = e;
            }
            return true.ToProperty();
        });

    /// <summary>
    /// With a metric that never changes (epoch 0 improves on the initial infinity, no later epoch does), the
    /// reduction epochs follow from the documented bookkeeping: Keras first at max(p, 1), then every
    /// max(p, 1) + max(c - 1, 0); PyTorch first at p + 1, then every p + 1 + c (eps 0 so that PyTorch's
    /// "ignore reductions smaller than eps" never applies).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Constant_metric_reduces_on_the_documented_epochs() =>
        Prop.ForAll((from p in Options from metric in ScheduleGens.Uniform(0.5, 2) select (p: p with { MinLearningRate = 0, Factor = 0.5, Eps = 0 }, metric)).ToArbitrary(), x =>
        {
            var p = x.p;
            var log = Run(p, 1.0, Enumerable.Repeat(x.metric, 40).ToArray());
            var actual = Enumerable.Range(0, log.Count).Where(e => log[e].After.LearningRate < log[e].Before.LearningRate).ToList();
            var expected = new List<int>();
            long first = p.Semantics == PlateauSemantics.Keras ? Math.Max(p.Patience, 1) : p.Patience + 1;
            long every = p.Semantics == PlateauSemantics.Keras ? Math.Max(p.Patience, 1) + Math.Max(p.Cooldown - 1, 0) : p.Patience + 1 + p.Cooldown;
            for (long e = first; e < log.Count; e += every) expected.Add((int)e);
            return actual.SequenceEqual(expected).Label($"{p}: reductions at [{string.Join(",", actual)}], expected [{string.Join(",", expected)}]");
        });

    [Property(MaxTest = 100)]
    public Property A_steadily_improving_metric_never_reduces() =>
        Prop.ForAll(Options.ToArbitrary(), p =>
        {
            // each metric beats the best so far by more than any threshold generated (<= 0.1): by 1.0 absolute,
            // or by a factor 2 (relative thresholds, positive metrics)
            double m = p.Mode == PlateauMode.Min ? 1e6 : 1.0;
            var s = p.Init(0.1);
            for (int e = 0; e < 50; e++)
            {
                m = (p.Mode, p.ThresholdMode) switch
                {
                    (PlateauMode.Min, ThresholdMode.Absolute) => m - 1,
                    (PlateauMode.Min, _) => m * 0.5,
                    (PlateauMode.Max, ThresholdMode.Absolute) => m + 1,
                    _ => m * 2,
                };
                s = p.Update(s, m);
                if (s.LearningRate != 0.1) return false.Label($"{p}: reduced at epoch {e} ({s})");
            }
            return true.ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property Max_mode_on_negated_metrics_equals_min_mode_with_absolute_threshold() =>
        Prop.ForAll((from p in Options from m in Metrics select (p: p with { ThresholdMode = ThresholdMode.Absolute }, m)).ToArbitrary(), x =>
        {
            var min = Run(x.p with { Mode = PlateauMode.Min }, 1.0, x.m).Select(r => r.After.LearningRate);
            var max = Run(x.p with { Mode = PlateauMode.Max }, 1.0, x.m.Select(v => -v).ToArray()).Select(r => r.After.LearningRate);
            return min.SequenceEqual(max).ToProperty();
        });

    /// <summary>The state record is all there is: rebuilding it from its fields (as after loading it from disk) and a fresh options record continue identically.</summary>
    [Property(MaxTest = 100)]
    public Property State_restored_from_its_fields_continues_identically() =>
        Prop.ForAll((from p in Options from m in Metrics from k in Gen.Choose(0, 59) select (p, m, k)).ToArbitrary(), x =>
        {
            var straight = Run(x.p, 1.0, x.m)[^1].After;
            var s = x.p.Init(1.0);
            foreach (double v in x.m.Take(x.k)) s = x.p.Update(s, v);
            var restored = new PlateauState(s.LearningRate, s.Best, s.BadEpochs, s.CooldownCounter, s.Epochs);
            var options = x.p with { };
            foreach (double v in x.m.Skip(x.k)) restored = options.Update(restored, v);
            return (restored == straight).Label($"{restored} vs {straight}");
        });

    [Fact]
    public void Keras_and_PyTorch_bookkeeping_differ_by_one_epoch()
    {
        var keras = new ReduceLROnPlateau { Patience = 2, Factor = 0.5 };
        var torch = ReduceLROnPlateau.PyTorch with { Patience = 2, Factor = 0.5 };
        var k = keras.Init(1.0);
        var t = torch.Init(1.0);
        double[] metric = [1.0, 1.0, 1.0, 1.0];
        var kLr = new List<double>();
        var tLr = new List<double>();
        foreach (double m in metric) { k = keras.Update(k, m); t = torch.Update(t, m); kLr.Add(k.LearningRate); tLr.Add(t.LearningRate); }
        Assert.Equal([1.0, 1.0, 0.5, 0.5], kLr);   // two bad epochs (1, 2): Keras reduces at epoch 2
        Assert.Equal([1.0, 1.0, 1.0, 0.5], tLr);   // PyTorch needs a third (num_bad_epochs 3 > 2)
    }

    [Fact]
    public void NaN_metric_and_bad_options_are_rejected_naming_the_argument()
    {
        var p = new ReduceLROnPlateau();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => p.Update(p.Init(0.1), double.NaN));
        Assert.Equal("metric", ex.ParamName);
        var f = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau { Factor = 1.0 });
        Assert.Equal("Factor", f.ParamName);
        Assert.Contains("[0, 1)", f.Message);
        var pat = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau { Patience = -1 });
        Assert.Contains("-1", pat.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Init(-0.1));
    }
}
