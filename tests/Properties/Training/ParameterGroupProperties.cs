using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Training;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>Parameter groups in OptimizerSet: routing is a partition (first matching rule wins), each group's settings act on
/// its tensors alone, and a grouping that changes nothing changes no bit.</summary>
public class ParameterGroupProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);

    static readonly string[] Globs = ["*.bias", "layer1*", "*dense*", "layer?.conv2d.*", "*", "nomatch", "layer2.dense.weights", "*.*.*s"];

    static readonly Gen<ParameterRule> Rules = Gen.OneOf(
        Gen.Elements(Globs).Select(ParameterRule.NameGlob),
        Gen.Choose(0, 3).Select(ParameterRule.MaxRank),
        Gen.Choose(1, 4).Select(ParameterRule.Rank),
        Gen.Choose(1, 40).Select(n => ParameterRule.Where($"length > {n}", p => p.Length > n)));

    /// <summary>Tensor i: name layer{i%4}.{conv2d|dense}.{weights|bias}, rank 1 for biases, 2 (dense) or 4 (conv) for weights.</summary>
    static Gen<(string Name, int[] Shape)[]> Tensors =>
        from n in Gen.Choose(0, 14)
        from kinds in Gen.Choose(0, 3).ArrayOf(n)
        from sizes in Gen.Choose(1, 9).ArrayOf(n)
        select kinds.Select((k, i) => k switch
        {
            0 => ($"layer{i % 4}.conv2d.weights", new[] { sizes[i], 1, 2, 2 }),
            1 => ($"layer{i % 4}.conv2d.bias", new[] { sizes[i] }),
            2 => ($"layer{i % 4}.dense.weights", new[] { sizes[i], 3 }),
            _ => ($"layer{i % 4}.dense.bias", new[] { sizes[i] }),
        }).ToArray();

    static Parameter[] Make((string Name, int[] Shape)[] spec, ulong seed)
    {
        return spec.Select((t, i) =>
        {
            int len = t.Shape.Aggregate(1, (a, b) => a * b);
            return new Parameter(t.Name, t.Shape, SeededInputs.Values<float>(len, seed, (ulong)(2 * i)), new float[len]);
        }).ToArray();
    }

    static void SetGradients(Parameter[] ps, ulong seed, int step)
    {
        for (int i = 0; i < ps.Length; i++)
            SeededInputs.Values<float>(ps[i].Length, seed, 1000 + (ulong)(i * 64 + step)).CopyTo(ps[i].Gradients.Span);
    }


    static Func<IOptimizerOptions, IOptimizer> PathFor(bool fast) => fast ? FastOptimizers.For : ReferenceOptimizers.For;

    [Fact]
    public void Routing_is_a_partition_and_the_first_matching_rule_wins() =>
        Prop.ForAll((from t in Tensors from rules in Rules.ArrayOf().Select(r => r.Take(5).ToArray()) select (t, rules)).ToArbitrary(), x =>
        {
            var ps = Make(x.t, 1);
            var groups = x.rules.Select((r, k) => new ParameterGroup($"g{k}", r)).ToArray();
            var set = new OptimizerSet(ReferenceOptimizers.For(new SgdOptions()), null, ps, null, new ParameterGrouping(groups, ReferenceOptimizers.For));
            if (set.GroupNames.Count != groups.Length + 1 || set.GroupNames[^1] != ParameterGrouping.DefaultGroupName)
                return false.Label($"group names {string.Join(",", set.GroupNames)}");
            var members = Enumerable.Range(0, set.GroupNames.Count)
                .Select(g => Enumerable.Range(0, ps.Length).Where(i => set.GroupOf(i) == g).ToArray()).ToArray();
            // a partition: the groups' member lists are disjoint and together hold every tensor once
            if (!members.SelectMany(m => m).Order().SequenceEqual(Enumerable.Range(0, ps.Length)))
                return false.Label("not a partition");
            for (int g = 0; g < members.Length; g++)
                foreach (int i in members[g])
                {
                    bool taken = g == groups.Length || groups[g].Rule.Matches(ps[i]);
                    bool earlier = Enumerable.Range(0, g).Any(k => groups[k].Rule.Matches(ps[i]));
                    if (!taken || earlier) return false.Label($"{ps[i].Name} (rank {ps[i].Shape.Length}) in {set.GroupNames[g]}: rule matches {taken}, an earlier rule matches {earlier}");
                }
            return true.ToProperty();
        }).Check(Cfg(300));

    /// <summary>
    /// Groups whose settings equal the default's (options equal as records or left null, weight decay equal or null,
    /// multiplier 1, no clipping of their own) change no bit of any parameter or state, on both paths, whatever the rules
    /// route where and whatever the set-wide clipping: the per-tensor updates are the same operations on the same inputs,
    /// and the set-wide clipping still sees every tensor in order.
    /// </summary>
    [Fact]
    public void A_grouping_with_the_default_settings_is_bit_identical_to_no_grouping() =>
        Prop.ForAll((from t in Tensors from rules in Rules.ArrayOf().Select(r => r.Take(4).ToArray()) from o in HyperGen.AnyOptimizer
                     from same in Gen.Elements(0, 1, 2).ArrayOf(4) from clip in Gen.Elements(0, 1, 2) from fast in Gen.Elements(false, true)
                     from seed in ArbMap.Default.GeneratorFor<ulong>() from steps in Gen.Choose(1, 4)
                     select (t, rules, o, same, clip, fast, seed, steps)).ToArbitrary(), x =>
        {
            var clipping = x.clip switch { 0 => null, 1 => new ClippingOptions { ClipValue = 0.5 }, _ => new ClippingOptions { GlobalClipNorm = 2 } };
            IGradientClipper? clipper = x.clip == 0 ? null : x.fast ? FastClipping.Instance : ReferenceClipping.Instance;
            var path = PathFor(x.fast);
            var groups = x.rules.Select((r, k) => x.same[k] switch
            {
                0 => new ParameterGroup($"g{k}", r),
                1 => new ParameterGroup($"g{k}", r) { Options = x.o.WithWeightDecay(x.o.WeightDecayOf()) },   // an equal record, another instance
                _ => new ParameterGroup($"g{k}", r) { WeightDecay = x.o.WeightDecayOf(), LearningRateMultiplier = 1.0 },
            }).ToArray();
            Parameter[] a = Make(x.t, x.seed), b = Make(x.t, x.seed);
            var plain = new OptimizerSet(path(x.o), clipper, a, clipping);
            var grouped = new OptimizerSet(path(x.o), clipper, b, clipping, new ParameterGrouping(groups, path));
            for (int s = 0; s < x.steps; s++)
            {
                SetGradients(a, x.seed, s); SetGradients(b, x.seed, s);
                double lr = SeededInputs.LearningRate(x.seed, s);
                double na = plain.Step(a, lr), nb = grouped.Step(b, lr);
                NumericAssert.BitExact(na, nb, label: $"{x.o} set-wide norm at step {s + 1}");
            }
            for (int i = 0; i < a.Length; i++)
            {
                NumericAssert.BitExact<float>(a[i].Values.Span, b[i].Values.Span, label: $"{x.o} tensor {a[i].Name}, grouped against plain");
                NumericAssert.BitExact(plain.States[i], grouped.States[i], label: $"{x.o} state of {a[i].Name}, grouped against plain");
            }
            return true.ToProperty();
        }).Check(Cfg(200));

    /// <summary>
    /// Each group's settings act on its own tensors: a tensor routed to a group with options O, weight decay w and multiplier
    /// k ends bit-identical to the same tensor in an ungrouped set running O with weight decay w at lr*k. (No clipping here,
    /// so no norm couples the tensors.) Includes <see cref="ParameterGroup.NoDecayOnBiasAndNorm"/> first when drawn.
    /// </summary>
    [Fact]
    public void Every_tensor_is_updated_exactly_as_its_group_says() =>
        Prop.ForAll((from t in Tensors from rules in Rules.ArrayOf().Select(r => r.Take(3).ToArray())
                     from options in HyperGen.AnyOptimizer.ArrayOf(3) from wd in Gen.Elements<double?>(null, 0.0, 0.01, 0.3).ArrayOf(3)
                     from mult in Gen.Elements(1.0, 0.0, 0.5, 2.0, 0.1).ArrayOf(3) from noDecay in Gen.Elements(false, true)
                     from o in HyperGen.AnyOptimizer from fast in Gen.Elements(false, true)
                     from seed in ArbMap.Default.GeneratorFor<ulong>() from steps in Gen.Choose(1, 3)
                     select (t, rules, options, wd, mult, noDecay, o, fast, seed, steps)).ToArbitrary(), x =>
        {
            var path = PathFor(x.fast);
            var groups = x.rules.Select((r, k) => new ParameterGroup($"g{k}", r)
                { Options = k == 1 ? null : x.options[k], WeightDecay = x.wd[k], LearningRateMultiplier = x.mult[k] }).ToList();
            if (x.noDecay) groups.Insert(0, ParameterGroup.NoDecayOnBiasAndNorm);
            var ps = Make(x.t, x.seed);
            var set = new OptimizerSet(path(x.o), null, ps, null, new ParameterGrouping(groups, path));
            // the expected run of each group: an ungrouped set over every tensor with that group's effective settings
            var expected = groups.Select(g =>
            {
                var eff = g.Options ?? x.o;
                if (g.WeightDecay is { } w) eff = eff.WithWeightDecay(w);
                var copy = Make(x.t, x.seed);
                return (Params: copy, Set: new OptimizerSet(path(eff), null, copy), g.LearningRateMultiplier);
            }).Append((Params: Make(x.t, x.seed), Set: (OptimizerSet)null!, LearningRateMultiplier: 1.0)).ToArray();
            expected[^1].Set = new OptimizerSet(path(x.o), null, expected[^1].Params);
            for (int s = 0; s < x.steps; s++)
            {
                double lr = SeededInputs.LearningRate(x.seed, s);
                SetGradients(ps, x.seed, s);
                set.Step(ps, lr);
                foreach (var e in expected) { SetGradients(e.Params, x.seed, s); e.Set.Step(e.Params, lr * e.LearningRateMultiplier); }
            }
            for (int i = 0; i < ps.Length; i++)
            {
                var e = expected[set.GroupOf(i)];
                NumericAssert.BitExact<float>(e.Params[i].Values.Span, ps[i].Values.Span, label: $"{ps[i].Name} in {set.GroupNames[set.GroupOf(i)]} against its group's own run");
                NumericAssert.BitExact(e.Set.States[i], set.States[i], label: $"state of {ps[i].Name} in {set.GroupNames[set.GroupOf(i)]} against its group's own run");
                if (x.noDecay && ps[i].Shape.Length <= 1 && set.OptimizerOf(i).Name != path(x.o.WithWeightDecay(0)).Name)
                    return false.Label($"{ps[i].Name}: rank 1 but optimizer {set.OptimizerOf(i).Name}");
            }
            return true.ToProperty();
        }).Check(Cfg(150));

    /// <summary>
    /// A grouped set on the Fast path (Fast optimizers, FastClipping) equals the same grouping on the Reference path bit for
    /// bit, every parameter and state after every step, at every vector width, with parameters and gradients over the whole
    /// float range (the kit's FloatGen.AnyClass: subnormals, huge values, infinities, NaNs with payloads), options and
    /// learning rates from the kit's HyperGen. What a grouped set does with those values: routing looks at names and shapes
    /// only, so each tensor is updated by its group's optimizer, which treats each element as its Reference documents (they
    /// propagate element by element); clip by value clamps an infinity to ±clip and passes a NaN through; no value in one
    /// tensor changes another, because nothing here couples tensors. Global-norm clipping is left out: the two paths sum the
    /// squares in different orders, so their norms agree within a derived bound (ClippingProperties), not bit for bit, and every
    /// clipped gradient would inherit that difference. NaN is compared as the kit's default, any NaN where the Reference has one.
    /// </summary>
    [Fact]
    public void A_grouped_set_on_the_Fast_path_equals_the_Reference_path_on_the_whole_float_range() =>
        Prop.ForAll((from t in Tensors from rules in Rules.ArrayOf().Select(r => r.Take(3).ToArray())
                     from options in HyperGen.AnyOptimizer.ArrayOf(3) from wd in Gen.Elements<double?>(null, 0.0, 0.01, 0.3).ArrayOf(3)
                     from mult in Gen.Elements(1.0, 0.0, 0.5, 2.0).ArrayOf(3) from clip in Gen.Elements(double.PositiveInfinity, 1e-3, 1.0, 1e30).ArrayOf(4)
                     from o in HyperGen.AnyOptimizer from steps in Gen.Choose(1, 3) from lrs in HyperGen.LearningRate.ArrayOf(3)
                     let length = t.Sum(x => x.Shape.Aggregate(1, (a, b) => a * b))
                     from values in FloatGen.AnyClass<float>().ArrayOf(length * (1 + steps))
                     select (t, rules, options, wd, mult, clip, o, steps, lrs, values)).ToArbitrary(), x =>
        {
            ParameterGroup[] groups = x.rules.Select((r, k) => new ParameterGroup($"g{k}", r)
            {
                Options = k == 1 ? null : x.options[k], WeightDecay = x.wd[k], LearningRateMultiplier = x.mult[k],
                Clipping = double.IsPositiveInfinity(x.clip[k]) ? null : new ClippingOptions { ClipValue = x.clip[k] },
            }).ToArray();
            var setWide = new ClippingOptions { ClipValue = x.clip[3] };
            int total = x.values.Length / (1 + x.steps);   // elements over all tensors: the parameters, then each step's gradients
            Parameter[] Lay()
            {
                int at = 0;
                return x.t.Select(t =>
                {
                    int len = t.Shape.Aggregate(1, (a, b) => a * b);
                    var p = new Parameter(t.Name, t.Shape, x.values.AsSpan(at, len).ToArray(), new float[len]);
                    at += len;
                    return p;
                }).ToArray();
            }
            void SetGradients(Parameter[] ps, int step)
            {
                int at = total * (1 + step);
                foreach (var p in ps) { x.values.AsSpan(at, p.Length).CopyTo(p.Gradients.Span); at += p.Length; }
            }
            foreach (var width in SimdWidth.Available)
            {
                Parameter[] reference = Lay(), fast = Lay();
                var refSet = new OptimizerSet(ReferenceOptimizers.For(x.o), ReferenceClipping.Instance, reference, setWide, new ParameterGrouping(groups, ReferenceOptimizers.For));
                var fastSet = new OptimizerSet(FastOptimizers.For(x.o), FastClipping.Instance, fast, setWide, new ParameterGrouping(groups, FastOptimizers.For));
                for (int s = 0; s < x.steps; s++)
                {
                    SetGradients(reference, s);
                    SetGradients(fast, s);
                    refSet.Step(reference, x.lrs[s]);
                    using (SimdWidth.Limit(width)) fastSet.Step(fast, x.lrs[s]);
                    for (int i = 0; i < fast.Length; i++)
                    {
                        string what = $"{fast[i].Name} ({fastSet.OptimizerOf(i).Name} in {fastSet.GroupNames[fastSet.GroupOf(i)]}) at width {width}, step {s + 1}, lr {x.lrs[s]:R}";
                        NumericAssert.BitExact<float>(reference[i].Values.Span, fast[i].Values.Span, label: what);
                        NumericAssert.BitExact(refSet.States[i], fastSet.States[i], label: "state of " + what);
                    }
                }
            }
            return true.ToProperty();
        }).Check(Cfg(100));

    [Fact]
    public void A_groups_own_clipping_clips_its_tensors_and_no_others()
    {
        var ps = Make([("layer0.conv2d.weights", [2, 1, 2, 2]), ("layer0.conv2d.bias", [2]), ("layer1.dense.weights", [3, 3]), ("layer1.dense.bias", [3])], 5);
        var group = new ParameterGroup("biases", ParameterRule.NameGlob("*.bias")) { Clipping = new ClippingOptions { ClipValue = 1e-3 } };
        var set = new OptimizerSet(FastOptimizers.For(new SgdOptions()), FastClipping.Instance, ps, null, new ParameterGrouping([group], FastOptimizers.For));
        SetGradients(ps, 5, 0);
        var before = ps.Select(p => p.Gradients.ToArray()).ToArray();
        Assert.Equal(double.NaN, set.Step(ps, 0.1));
        for (int i = 0; i < ps.Length; i++)
        {
            bool bias = ps[i].Name.EndsWith(".bias", StringComparison.Ordinal);
            var g = ps[i].Gradients.ToArray();
            if (bias) Assert.All(g, v => Assert.InRange(v, -1e-3f, 1e-3f));
            else Assert.Equal(before[i], g);
            Assert.Contains(before[i], v => Math.Abs(v) > 1e-3f);   // the clip had something to do
        }
        Assert.Equal(["biases", "default"], set.GroupNames);
    }

    [Fact]
    public void Name_globs_match_whole_names()
    {
        static bool M(string glob, string name) => ParameterRule.NameGlob(glob).Matches(new Parameter(name, [1], new float[1], new float[1]));
        Assert.True(M("*.bias", "layer0.conv2d.bias"));
        Assert.False(M("*.bias", "layer0.conv2d.bias2"));
        Assert.True(M("layer?.dense.*", "layer9.dense.weights"));
        Assert.False(M("layer?.dense.*", "layer10.dense.weights"));
        Assert.True(M("*", ""));
        Assert.True(M("a*b*c", "aXbYbZc"));
        Assert.False(M("a*b*c", "aXbYbZ"));
        Assert.False(M("Layer*", "layer0"));   // ordinal, case-sensitive
    }

    [Fact]
    public void Bad_groupings_are_refused_naming_the_group()
    {
        Parameter[] ps = Make([("w", [2, 2]), ("b", [2])], 1);
        var sgd = FastOptimizers.For(new SgdOptions());
        var twice = Assert.Throws<ArgumentException>(() => new OptimizerSet(sgd, null, ps, null,
            new ParameterGrouping([new("a", ParameterRule.MaxRank(1)), new("a", ParameterRule.Rank(2))], FastOptimizers.For)));
        Assert.Contains("'a'", twice.Message);
        var reserved = Assert.Throws<ArgumentException>(() => new OptimizerSet(sgd, null, ps, null,
            new ParameterGrouping([new("default", ParameterRule.MaxRank(1))], FastOptimizers.For)));
        Assert.Contains("'default'", reserved.Message);
        var noClipper = Assert.Throws<ArgumentException>(() => new OptimizerSet(sgd, null, ps, null,
            new ParameterGrouping([new("b", ParameterRule.MaxRank(1)) { Clipping = new ClippingOptions { GlobalClipNorm = 1 } }], FastOptimizers.For)));
        Assert.Equal("clipper", noClipper.ParamName);
        var badMultiplier = Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterGroup("m", ParameterRule.MaxRank(1)) { LearningRateMultiplier = -1 });
        Assert.Equal("LearningRateMultiplier", badMultiplier.ParamName);
    }
}
