using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>OptimizerParser reads back what Print writes, knows the conventions' presets, and rejects bad strings in one line.</summary>
public class OptimizerParserProperties
{
    static readonly Gen<double> Decay = Gen.OneOf(Gen.Constant(0.0), Gen.Elements(1e-4, 0.004, 1.0 / 3), Gen.Choose(1, 1_000_000).Select(i => i * 1e-9));

    static Gen<OptimizerSpec> Specs =>
        from o in FloatSafeOptions.Any
        from d in Decay
        select new OptimizerSpec(o) { Decay = d };

    [Property(MaxTest = 500)]
    public Property Parse_of_Print_is_the_same_spec_for_every_optimizer_and_variant() =>
        Prop.ForAll(Specs.ToArbitrary(), spec =>
        {
            string text = OptimizerParser.Print(spec);
            var back = OptimizerParser.Parse(text);
            // Record equality: same options type and every option bit-equal (doubles print with "R"), same decay.
            return (back == spec && OptimizerParser.Print(back) == text && back.Options.Name == spec.Options.Name).Label($"{spec.Options} -> {text} -> {back.Options}");
        });

    [Property(MaxTest = 200)]
    public Property Printing_every_key_explicitly_or_in_another_case_and_spacing_reads_the_same() =>
        Prop.ForAll(Specs.ToArbitrary(), spec =>
        {
            string text = OptimizerParser.Print(spec);
            string loud = text.ToUpperInvariant().Replace(":", " : ").Replace(",", " , ").Replace("=", " = ");
            return (OptimizerParser.Parse(loud) == spec).Label(loud);
        });

    [Fact]
    public void Defaults_print_as_the_bare_name_and_options_as_key_value_pairs()
    {
        Assert.Equal("adam", OptimizerParser.Print(new AdamOptions()));
        Assert.Equal("sgd:momentum=0.8,decay=0.004", new OptimizerSpec(new SgdOptions { Momentum = 0.8 }) { Decay = 0.004 }.ToString());
        Assert.Equal("adam:beta2=0.99,eps=1E-08,amsgrad=true", OptimizerParser.Print(new AdamOptions { Beta2 = 0.99, Epsilon = 1e-8, Amsgrad = true }));
        var spec = OptimizerParser.Parse("adam:beta1=0.9,beta2=0.99,eps=1e-8,amsgrad=true");
        Assert.Equal(new AdamOptions { Beta2 = 0.99, Epsilon = 1e-8, Amsgrad = true }, spec.Options);
        Assert.Equal(0, spec.Decay);
    }

    [Fact]
    public void The_catalog_names_of_the_first_cli_read_as_the_records_they_stood_for()
    {
        // What OptimizerCatalog listed before the text form, so checkpoints and suite files written then still resume and run.
        Assert.Equal(new SgdOptions(), OptimizerParser.Parse("sgd").Options);
        Assert.Equal(new SgdOptions { Momentum = 0.9 }, OptimizerParser.Parse("sgd-momentum").Options);
        Assert.Equal(new SgdOptions { Momentum = 0.9, Nesterov = true }, OptimizerParser.Parse("sgd-nesterov").Options);
        Assert.Equal(new RmspropOptions { Centered = true }, OptimizerParser.Parse("rmsprop-centered").Options);
        Assert.Equal(new AdamOptions { Amsgrad = true }, OptimizerParser.Parse("amsgrad").Options);
        foreach (var (name, options) in new (string, IOptimizerOptions)[]
                 {
                     ("adagrad", new AdagradOptions()), ("adadelta", new AdadeltaOptions()), ("rmsprop", new RmspropOptions()), ("adam", new AdamOptions()),
                     ("adamw", new AdamWOptions()), ("adamax", new AdamaxOptions()), ("nadam", new NadamOptions()), ("radam", new RadamOptions()),
                 })
            Assert.Equal(options, OptimizerParser.Parse(name).Options);
        Assert.Equal(new SgdOptions { Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 }, OptimizerParser.Parse("sgd-nesterov:weight_decay=1e-4").Options);
    }

    /// <summary>Keras 2.0.8 keras/optimizers.py defaults (what the seed articles printed) and torch.optim's, key by key.</summary>
    [Fact]
    public void Presets_are_the_conventions_defaults_and_keys_given_after_them_win()
    {
        Assert.Equal(new AdagradOptions { InitialAccumulatorValue = 0, Epsilon = 1e-8, EpsilonPlacement = EpsilonPlacement.OutsideSqrt },
            OptimizerParser.Parse("adagrad:preset=keras2").Options);
        Assert.Equal(new AdadeltaOptions { Rho = 0.95, Epsilon = 1e-8 }, OptimizerParser.Parse("adadelta:preset=keras2").Options);
        Assert.Equal(new RmspropOptions { Rho = 0.9, Epsilon = 1e-8, EpsilonPlacement = EpsilonPlacement.OutsideSqrt }, OptimizerParser.Parse("rmsprop:preset=keras2").Options);
        Assert.Equal(new AdamOptions { Epsilon = 1e-8 }, OptimizerParser.Parse("adam:preset=keras2").Options);
        Assert.Equal(new NadamOptions { Epsilon = 1e-8, Schedule = NadamSchedule.Keras2PyTorch }, OptimizerParser.Parse("nadam:preset=keras2").Options);
        Assert.Equal(new NadamOptions { Schedule = NadamSchedule.Keras3 }, OptimizerParser.Parse("nadam:preset=keras").Options);
        // pytorch = the records' PyTorch presets: torch's defaults, forms and operation order (Optimizers/Torch tests)
        Assert.Equal(AdagradOptions.PyTorch, OptimizerParser.Parse("adagrad:preset=pytorch").Options);
        Assert.Equal(new AdagradOptions { InitialAccumulatorValue = 0, Epsilon = 1e-10, EpsilonPlacement = EpsilonPlacement.OutsideSqrt, Order = OperationOrder.PyTorch },
            OptimizerParser.Parse("adagrad:preset=pytorch").Options);
        Assert.Equal(AdadeltaOptions.PyTorch, OptimizerParser.Parse("adadelta:preset=pytorch").Options);
        Assert.Equal(AdamOptions.PyTorch, OptimizerParser.Parse("adam:preset=pytorch").Options);
        Assert.Equal(AdamOptions.PyTorchFused, OptimizerParser.Parse("adam:preset=pytorch,order=pytorch-fused").Options);
        Assert.Equal(AdamWOptions.PyTorch, OptimizerParser.Parse("adamw:preset=pytorch").Options);
        Assert.Equal(AdamaxOptions.PyTorch, OptimizerParser.Parse("adamax:preset=pytorch").Options);
        Assert.Equal(NadamOptions.PyTorch with { TorchPath = TorchPath.Foreach, MomentumDecay = 0.01 },
            OptimizerParser.Parse("nadam:preset=pytorch,foreach=true,momentum_decay=0.01").Options);
        Assert.Equal(SgdOptions.PyTorch with { Momentum = 0.9, Dampening = 0.1, Maximize = true },
            OptimizerParser.Parse("sgd:momentum=0.9,dampening=0.1,preset=pytorch,maximize=true").Options);
        Assert.Equal(RmspropOptions.PyTorch with { Rho = 0.95, Momentum = 0.5, Centered = true },
            OptimizerParser.Parse("rmsprop:preset=pytorch,rho=0.95,momentum=0.5,centered=true").Options);
        foreach (string text in new[] { "adam:preset=pytorch,order=pytorch-fused", "nadam:preset=pytorch,foreach=true,momentum_decay=0.01", "nadam:momentum_schedule=keras3" })
        {
            var spec = OptimizerParser.Parse(text);
            Assert.Equal(spec, OptimizerParser.Parse(spec.ToString()));
        }
        // A preset is a starting point, not an option: Print writes the values, which read back without it.
        var keras2 = OptimizerParser.Parse("adagrad:preset=keras2");
        Assert.Equal("adagrad:initial_accumulator=0,eps=1E-08,eps_mode=outside", keras2.ToString());
        Assert.Equal(keras2, OptimizerParser.Parse(keras2.ToString()));
    }

    [Theory]
    [InlineData("adamz", "Unknown optimizer 'adamz'", "known optimizers: sgd, adagrad")]
    [InlineData("adam:beta2=1.5", "beta2=1.5 is out of range; allowed: a number in [0, 1)", "'adam' takes keys: beta1, beta2, eps, amsgrad, eps_mode (keras | paper)")]
    [InlineData("adam:eps=0", "eps=0 is out of range; allowed: a number > 0", "'adam' takes keys")]
    [InlineData("adam:eps=0,001", "eps='0,001' uses ',' as a decimal point", "write 0.001")]
    [InlineData("adam:beta1=0,9,beta2=0.99", "beta1='0,9' uses ',' as a decimal point", "write 0.9")]
    [InlineData("adam:eps=1e-8x", "eps='1e-8x' is not a number", "'adam' takes keys")]
    [InlineData("adam:beta1=NaN", "beta1=NaN is out of range", "[0, 1)")]
    [InlineData("adam:eps=Infinity", "eps=Infinity is out of range", "> 0")]
    [InlineData("adam:eps=1e999", "eps=1e999 is out of range", "> 0")]
    [InlineData("adam:beta3=0.9", "unknown key 'beta3'", "beta1, beta2")]
    [InlineData("adam:amsgrad=maybe", "amsgrad='maybe' is not true or false", "amsgrad")]
    [InlineData("adam:eps_mode=torch", "eps_mode='torch' is not one of keras, paper", "eps_mode (keras | paper)")]
    [InlineData("adam:lr=0.1", "lr=0.1: the learning rate is not an optimizer key; give it with --lr", "'adam' takes keys")]
    [InlineData("adam:beta1", "'beta1' is not of the form key=value", "'adam' takes keys")]
    [InlineData("adam:beta1=0.9,beta1=0.8", "key 'beta1' is given twice", "'adam' takes keys")]
    [InlineData("adadelta:preset=keras3", "preset='keras3' is not one of keras, keras2, pytorch", "'adadelta' takes keys: rho, eps")]
    [InlineData("adamw:preset=keras2", "preset='keras2' is not one of keras, pytorch", "weight_decay")]
    [InlineData("sgd:nesterov=true", "Nesterov = true needs Momentum > 0", "'sgd' takes keys: momentum, nesterov, dampening")]
    [InlineData("sgd:momentum=0.9,dampening=0.1", "Dampening = 0.1 is only defined for MomentumForm.PyTorch", "momentum_form (keras | pytorch)")]
    [InlineData("sgd:decay=-1", "decay=-1 is out of range; allowed: a number >= 0", "decay")]
    [InlineData("rmsprop:momentum=1", "momentum=1 is out of range; allowed: a number in [0, 1)", "centered")]
    [InlineData("adagrad:initial_accumulator=-0.1", "initial_accumulator=-0.1 is out of range; allowed: a number >= 0", "lr_decay")]
    [InlineData("nadam:momentum_schedule=keras4", "momentum_schedule='keras4' is not one of keras2, keras3", "momentum_schedule (keras2 | keras3)")]
    public void Malformed_strings_are_one_line_naming_the_key_the_value_and_what_is_allowed(string text, string what, string allowed)
    {
        var ex = Assert.Throws<ArgumentException>(() => OptimizerParser.Parse(text));
        Assert.Equal("text", ex.ParamName);
        string line = ex.Message.Replace(" (Parameter 'text')", "");
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains(what, line);
        Assert.Contains(allowed, line);
    }

    [Fact]
    public void Every_name_lists_its_keys_and_accepts_every_key_it_lists()
    {
        string[] values = ["0", "0.5", "1", "true", "l2", "keras", "inside", "keras2", "pytorch", "optax", "original"];
        foreach (string name in OptimizerParser.Names)
        {
            string keys = OptimizerParser.KeysOf(name);
            Assert.NotEmpty(OptimizerParser.PresetLearningRates(name));
            foreach (string key in keys.Split(", ").Select(k => k.Split(' ')[0]))
            {
                bool accepted = values.Any(v =>
                {
                    try { OptimizerParser.Parse($"{name}:{key}={v}"); return true; }
                    catch (ArgumentException e) { Assert.DoesNotContain("unknown key", e.Message); return false; }
                });
                Assert.True(accepted, $"{name}:{key}= took none of {string.Join(", ", values)}");
            }
            Assert.Contains("unknown key 'nosuchkey'", Assert.Throws<ArgumentException>(() => OptimizerParser.Parse($"{name}:nosuchkey=1")).Message);
        }
    }

    /// <summary>Schedule-Free's two names, sf-sgd and sf-adamw, read back what Print writes (the base keys beta2, eps live in the base record).</summary>
    [Property(MaxTest = 200)]
    public Property Schedule_free_texts_round_trip() =>
        Prop.ForAll((from adam in Gen.Elements(false, true)
                     from b1 in Gen.Elements(0.0, 0.9, 0.95, 0.98)
                     from r in Gen.Elements(0.0, 1.0, 2.0, 2.5)
                     from wd in Gen.Elements(0.0, 1e-4, 0.05)
                     from b2 in Gen.Elements(0.99, 0.999)
                     from eps in Gen.Elements(1e-8, 1e-6)
                     select adam
                         ? ScheduleFreeOptions.AdamW with { Beta1 = b1, WeightLrPower = r, WeightDecay = wd, Base = ScheduleFreeOptions.AdamWBase with { Beta2 = b2, Epsilon = eps } }
                         : ScheduleFreeOptions.Sgd with { Beta1 = b1, WeightLrPower = r, WeightDecay = wd }).ToArbitrary(), o =>
        {
            string text = OptimizerParser.Print(o);
            var back = OptimizerParser.Parse(text).Options;
            bool name = text.StartsWith(o.Base is AdamOptions ? "sf-adamw" : "sf-sgd", StringComparison.Ordinal);
            return (back.Equals(o) && name).Label($"{o} -> {text} -> {back}");
        });

    [Fact]
    public void Schedule_free_names_parse_to_the_optax_forms_and_other_bases_have_no_text_form()
    {
        Assert.Equal(ScheduleFreeOptions.Sgd, OptimizerParser.Parse("sf-sgd").Options);
        Assert.Equal(ScheduleFreeOptions.AdamW with { Beta1 = 0.95, Base = ScheduleFreeOptions.AdamWBase with { Beta2 = 0.99 } },
            OptimizerParser.Parse("sf-adamw:beta1=0.95,beta2=0.99").Options);
        Assert.Equal("sf-adamw:weight_decay=0.01", OptimizerParser.Print(ScheduleFreeOptions.AdamW with { WeightDecay = 0.01 }));
        var e = Assert.Throws<ArgumentException>(() => OptimizerParser.Print(new ScheduleFreeOptions { Base = new LionOptions() }));
        Assert.Contains("have no text form", e.Message);
        Assert.Contains("beta1=1 is out of range; allowed: a number in [0, 1)", Assert.Throws<ArgumentException>(() => OptimizerParser.Parse("sf-sgd:beta1=1")).Message);
    }
}
