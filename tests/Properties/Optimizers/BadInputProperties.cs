using NetNumerics.Training;
using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Invalid hyperparameters, learning rates, lengths and states are ArgumentExceptions naming the argument.</summary>
public class BadInputProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);
    static readonly Gen<double> NotFinite = Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity);
    static readonly Gen<double> Negative = Gen.Choose(1, 1_000_000).Select(i => -i / 1000.0);
    static readonly Gen<double> AtLeastOne = Gen.Choose(0, 1_000_000).Select(i => 1 + i / 1000.0);

    static readonly Gen<double> BadUnit = Gen.OneOf(NotFinite, Negative, AtLeastOne);     // allowed [0, 1)
    static readonly Gen<double> BadPositive = Gen.OneOf(NotFinite, Negative, Gen.Constant(0.0), Gen.Constant(-0.0));  // allowed > 0
    static readonly Gen<double> BadNonNegative = Gen.OneOf(NotFinite, Negative);          // allowed >= 0

    // (option name, bad values, setter)
    static readonly (string Name, Gen<double> Bad, Func<double, object> Set)[] Options =
    [
        ("Beta1", BadUnit, v => new AdamOptions { Beta1 = v }),
        ("Beta2", BadUnit, v => new AdamOptions { Beta2 = v }),
        ("Epsilon", BadPositive, v => new AdamOptions { Epsilon = v }),
        ("WeightDecay", BadNonNegative, v => new AdamOptions { WeightDecay = v }),
        ("Beta1", BadUnit, v => new AdamWOptions { Beta1 = v }),
        ("WeightDecay", BadNonNegative, v => new AdamWOptions { WeightDecay = v }),
        ("Momentum", BadUnit, v => new SgdOptions { Momentum = v }),
        ("Dampening", BadUnit, v => new SgdOptions { Dampening = v }),
        ("WeightDecay", BadNonNegative, v => new SgdOptions { WeightDecay = v }),
        ("InitialAccumulatorValue", BadNonNegative, v => new AdagradOptions { InitialAccumulatorValue = v }),
        ("LrDecay", BadNonNegative, v => new AdagradOptions { LrDecay = v }),
        ("Epsilon", BadPositive, v => new AdagradOptions { Epsilon = v }),
        ("Rho", BadUnit, v => new AdadeltaOptions { Rho = v }),
        ("Epsilon", BadPositive, v => new AdadeltaOptions { Epsilon = v }),
        ("Rho", BadUnit, v => new RmspropOptions { Rho = v }),
        ("Momentum", BadUnit, v => new RmspropOptions { Momentum = v }),
        ("Epsilon", BadPositive, v => new RmspropOptions { Epsilon = v }),
        ("Beta2", BadUnit, v => new AdamaxOptions { Beta2 = v }),
        ("Epsilon", BadPositive, v => new AdamaxOptions { Epsilon = v }),
        ("Beta1", BadUnit, v => new NadamOptions { Beta1 = v }),
        ("Epsilon", BadPositive, v => new NadamOptions { Epsilon = v }),
        ("Beta2", BadUnit, v => new RadamOptions { Beta2 = v }),
        ("WeightDecay", BadNonNegative, v => new RadamOptions { WeightDecay = v }),
        ("ClipValue", BadPositive, v => new ClippingOptions { ClipValue = v }),
        ("GlobalClipNorm", BadPositive, v => new ClippingOptions { GlobalClipNorm = v }),
    ];

    static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Invalid_hyperparameters_throw_naming_the_option_its_value_and_the_allowed_range() =>
        Prop.ForAll((from i in Gen.Choose(0, Options.Length - 1) from v in Options[i].Bad select (i, v)).ToArbitrary(), x =>
        {
            var (name, _, set) = Options[x.i];
            if (name.StartsWith("Clip") || name == "GlobalClipNorm") { if (x.v == double.PositiveInfinity) return true.ToProperty(); }
            var ex = Assert.ThrowsAny<ArgumentException>(() => set(x.v));
            return (ex.ParamName == name && ex.Message.Contains(Show(x.v)) && (ex.Message.Contains("[0, 1)") || ex.Message.Contains(">")))
                .Label($"{name}={Show(x.v)}: {ex.ParamName} / {ex.Message}");
        }).Check(Cfg(300));

    [Fact]
    public void Invalid_combinations_and_enum_values_throw_naming_the_option()
    {
        foreach (var path in new Func<IOptimizerOptions, IOptimizer>[] { ReferenceOptimizers.For, FastOptimizers.For })
        {
            Assert.Equal("Nesterov", Assert.ThrowsAny<ArgumentException>(() => path(new SgdOptions { Nesterov = true })).ParamName);
            Assert.Equal("Dampening", Assert.ThrowsAny<ArgumentException>(() => path(new SgdOptions { Momentum = 0.9, Dampening = 0.1 })).ParamName);
            Assert.Equal("Dampening", Assert.ThrowsAny<ArgumentException>(() =>
                path(new SgdOptions { Momentum = 0.9, Nesterov = true, Dampening = 0.1, MomentumForm = MomentumForm.PyTorch })).ParamName);
        }
        Assert.Equal("EpsilonMode", Assert.ThrowsAny<ArgumentException>(() => new AdamOptions { EpsilonMode = (AdamEpsilon)7 }).ParamName);
        Assert.Equal("MomentumForm", Assert.ThrowsAny<ArgumentException>(() => new RmspropOptions { MomentumForm = (MomentumForm)(-1) }).ParamName);
    }

    [Fact]
    public void Bad_learning_rates_lengths_and_states_throw_naming_the_argument_on_both_paths() =>
        Prop.ForAll((from o in FloatSafeOptions.Any from n in Gen.Choose(0, 50) from d in Gen.Choose(1, 5)
                     from lr in Gen.OneOf(NotFinite, Negative) from fast in Gen.Elements(false, true) select (o, n, d, lr, fast)).ToArbitrary(), x =>
        {
            var opt = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
            var s = opt.Init<float>(x.n);
            var ok = new List<bool>();
            var e1 = Assert.ThrowsAny<ArgumentException>(() => opt.Update(s, new float[x.n], new float[x.n], x.lr));
            ok.Add(e1.ParamName == "learningRate" && e1.Message.Contains(Show(x.lr)));
            var e2 = Assert.ThrowsAny<ArgumentException>(() => opt.Update(s, new float[x.n], new float[x.n + x.d], 0.1));
            ok.Add(e2.ParamName == "gradients" && e2.Message.Contains((x.n + x.d).ToString()));
            var e3 = Assert.ThrowsAny<ArgumentException>(() => opt.Update(s, new float[x.n + x.d], new float[x.n + x.d], 0.1));
            ok.Add(e3.ParamName == "parameters");
            var other = ReferenceOptimizers.For(x.o is SgdOptions ? new AdamOptions() : new SgdOptions()).Init<float>(x.n);
            var e4 = Assert.ThrowsAny<ArgumentException>(() => opt.Update(other, new float[x.n], new float[x.n], 0.1));
            ok.Add(e4.ParamName == "state");
            ok.Add(s.Step == 0);   // nothing was applied
            return ok.All(b => b).Label($"{string.Join(",", ok)} {e1.Message} | {e2.Message} | {e3.Message} | {e4.Message}");
        }).Check(Cfg(200));

    [Fact]
    public void Optimizer_set_rejects_a_different_number_of_tensors_or_lengths()
    {
        Parameter P(int n) => new("w", [n], new float[n], new float[n]);
        var set = new OptimizerSet(FastOptimizers.For(new AdamOptions()), FastClipping.Instance, [P(3), P(5)]);
        Assert.Equal("parameters", Assert.ThrowsAny<ArgumentException>(() => set.Step([P(3)], 0.1)).ParamName);
        Assert.Contains("parameters[1]", Assert.ThrowsAny<ArgumentException>(() => set.Step([P(3), P(4)], 0.1)).ParamName);
        Assert.Equal("learningRate", Assert.ThrowsAny<ArgumentException>(() => set.Step([P(3), P(5)], double.NaN)).ParamName);
    }
}
