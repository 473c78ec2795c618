using NetNumerics.Optimizers;
using Xunit;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// The PyTorch presets carry torch's defaults (checked against the param groups torch resolved in the fixtures), and a
/// PyTorch order refuses form options that are not torch's formula, with one line naming the option and the preset.
/// </summary>
public class OptionPresetTests
{
    /// <summary>Each "*-default" case was recorded with torch's defaults for everything but lr; the preset must equal them.</summary>
    [Theory]
    [InlineData("adagrad", "adagrad-default")]
    [InlineData("adadelta", "adadelta-default")]
    [InlineData("rmsprop", "rmsprop-default")]
    [InlineData("adam", "adam-default")]
    [InlineData("adamw", "adamw-default")]
    [InlineData("adamax", "adamax-default")]
    [InlineData("nadam", "nadam-default")]
    [InlineData("radam", "radam-default")]
    [InlineData("sgd", "sgd-plain")]
    public void Presets_are_torchs_defaults(string file, string name)
    {
        using var doc = TorchFixtures.Load(file + ".json.gz");
        var c = TorchOptimizerCase.Read(doc).First(x => x.Id == name + "/float32/single");
        var fromGroup = c.Options(OperationOrder.PyTorch);
        IOptimizerOptions preset = fromGroup switch
        {
            SgdOptions => SgdOptions.PyTorch, AdagradOptions => AdagradOptions.PyTorch, AdadeltaOptions => AdadeltaOptions.PyTorch,
            RmspropOptions => RmspropOptions.PyTorch, AdamOptions => AdamOptions.PyTorch, AdamWOptions => AdamWOptions.PyTorch,
            AdamaxOptions => AdamaxOptions.PyTorch, NadamOptions => NadamOptions.PyTorch, _ => RadamOptions.PyTorch,
        };
        Assert.Equal(fromGroup, preset);
        double lr = preset switch
        {
            SgdOptions => SgdOptions.PyTorchDefaultLearningRate, AdagradOptions => AdagradOptions.PyTorchDefaultLearningRate,
            AdadeltaOptions => AdadeltaOptions.PyTorchDefaultLearningRate, RmspropOptions => RmspropOptions.PyTorchDefaultLearningRate,
            AdamOptions => AdamOptions.PyTorchDefaultLearningRate, AdamWOptions => AdamWOptions.PyTorchDefaultLearningRate,
            AdamaxOptions => AdamaxOptions.PyTorchDefaultLearningRate, NadamOptions => NadamOptions.PyTorchDefaultLearningRate,
            _ => RadamOptions.PyTorchDefaultLearningRate,
        };
        if (file != "sgd") Assert.Equal(c.LearningRate, lr);   // torch 1.13's SGD has no default lr
    }

    [Fact]
    public void Fused_presets_differ_from_the_plain_ones_only_in_the_order()
    {
        Assert.Equal(AdamOptions.PyTorch with { Order = OperationOrder.PyTorchFused }, AdamOptions.PyTorchFused);
        Assert.Equal(SgdOptions.PyTorch with { Order = OperationOrder.PyTorchFused }, SgdOptions.PyTorchFused);
        Assert.Equal(NadamOptions.PyTorch with { Order = OperationOrder.PyTorchFused }, NadamOptions.PyTorchFused);
        Assert.Equal(AdamWOptions.PyTorch.ToAdam() with { Order = OperationOrder.PyTorchFused }, AdamWOptions.PyTorchFused.ToAdam());
    }

    public static IEnumerable<object[]> NotTorchsFormula() => new (IOptimizerOptions Options, string Option)[]
    {
        (AdamOptions.PyTorch with { EpsilonMode = AdamEpsilon.KerasEpsilonHat }, "EpsilonMode"),
        (AdamWOptions.PyTorchFused with { EpsilonMode = AdamEpsilon.KerasEpsilonHat }, "EpsilonMode"),
        (AdagradOptions.PyTorch with { EpsilonPlacement = EpsilonPlacement.InsideSqrt }, "EpsilonPlacement"),
        (AdagradOptions.PyTorch with { WeightDecayMode = WeightDecayMode.Decoupled }, "WeightDecayMode"),
        (RmspropOptions.PyTorch with { MomentumForm = MomentumForm.Keras }, "MomentumForm"),
        (RmspropOptions.PyTorch with { EpsilonPlacement = EpsilonPlacement.InsideSqrt }, "EpsilonPlacement"),
        (SgdOptions.PyTorch with { MomentumForm = MomentumForm.Keras }, "MomentumForm"),
        (AdamaxOptions.PyTorch with { EpsilonMode = AdamaxEpsilon.KerasOutsideMax }, "EpsilonMode"),
        (AdadeltaOptions.PyTorch with { WeightDecayMode = WeightDecayMode.Decoupled }, "WeightDecayMode"),
        (NadamOptions.PyTorch with { WeightDecayMode = WeightDecayMode.Decoupled }, "WeightDecayMode"),
        (RadamOptions.PyTorch with { WeightDecayMode = WeightDecayMode.Decoupled }, "WeightDecayMode"),
        (new NadamOptions { TorchPath = TorchPath.Foreach }, "TorchPath"),
        (new RadamOptions { TorchPath = TorchPath.Foreach }, "TorchPath"),
        (new AdagradOptions { TorchPath = TorchPath.Foreach }, "TorchPath"),
    }.Select(x => new object[] { x.Options, x.Option });

    [Theory]
    [MemberData(nameof(NotTorchsFormula))]
    public void A_torch_order_with_another_formula_is_refused(IOptimizerOptions options, string option)
    {
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(option, e.ParamName);
        Assert.DoesNotContain("\n", e.Message);
        Assert.Throws<ArgumentException>(() => NetNumerics.Reference.Optimizers.ReferenceOptimizers.For(options));
        Assert.Throws<ArgumentException>(() => NetNumerics.Fast.Optimizers.FastOptimizers.For(options));
    }

    [Fact]
    public void Undefined_enum_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdamOptions.PyTorch with { Order = (OperationOrder)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => NadamOptions.PyTorch with { TorchPath = (TorchPath)2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => NadamOptions.PyTorch with { MomentumDecay = -1 });
        Assert.Equal(1.0, new NadamOptions { Schedule = NadamSchedule.Keras3 }.MomentumDecay);
        Assert.Equal(0.004, new NadamOptions().MomentumDecay);
        Assert.Equal(0.02, new NadamOptions { Schedule = NadamSchedule.Keras3, MomentumDecay = 0.02 }.MomentumDecay);
    }
}
