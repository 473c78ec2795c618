using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Optimizers;
using Xunit;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// Fast == Reference bit for bit (0 ULP) in torch's orders, as FastMatchesReferenceProperties proves for the Keras
/// order: every optimizer, random hyperparameters, both torch paths, maximize on and off, float and double, every
/// vector width, random lengths, values and a learning rate that changes every step. Both paths apply the same IEEE
/// operations, the same fused multiply-adds (Math.FusedMultiplyAdd, Vector*.FusedMultiplyAdd: one rounding each) in the
/// same order to the same per-step scalars (the Reference's *TorchStep structs), so no tolerance is needed. The Keras
/// order is included here with maximize on.
/// </summary>
public class TorchOrderFastMatchesReference
{
    static readonly Gen<OperationOrder> Order = Gen.Elements(OperationOrder.Keras, OperationOrder.PyTorch, OperationOrder.PyTorchFused);
    static readonly Gen<TorchPath> Path = Gen.Elements(TorchPath.SingleTensor, TorchPath.Foreach);
    static readonly Gen<bool> Bool = Gen.Elements(false, true);

    /// <summary>A generated options record moved to an order: torch's form options where the order is torch's.</summary>
    static Gen<IOptimizerOptions> InOrder(Gen<IOptimizerOptions> options) =>
        from o in options
        from order in Order
        from maximize in Bool
        from path in Path
        from md in Gen.Elements(0.0, 0.004, 0.01, 1.0)
        let torch = order != OperationOrder.Keras
        let p = torch ? path : TorchPath.SingleTensor
        select o switch
        {
            SgdOptions s => (IOptimizerOptions)(torch
                ? s with { MomentumForm = MomentumForm.PyTorch, WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize }
                : s with { Maximize = maximize }),
            AdagradOptions a => torch
                ? a with { EpsilonPlacement = EpsilonPlacement.OutsideSqrt, WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize, TorchPath = p }
                : a with { Maximize = maximize },
            AdadeltaOptions a => torch ? a with { WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize } : a with { Maximize = maximize },
            RmspropOptions r => torch
                ? r with { EpsilonPlacement = EpsilonPlacement.OutsideSqrt, MomentumForm = MomentumForm.PyTorch, WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize }
                : r with { Maximize = maximize },
            AdamOptions a => torch ? a with { EpsilonMode = AdamEpsilon.PaperAlgorithm1, Order = order, Maximize = maximize } : a with { Maximize = maximize },
            AdamWOptions a => torch ? a with { EpsilonMode = AdamEpsilon.PaperAlgorithm1, Order = order, Maximize = maximize } : a with { Maximize = maximize },
            AdamaxOptions a => torch
                ? a with { EpsilonMode = AdamaxEpsilon.PyTorchInsideMax, WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize }
                : a with { Maximize = maximize },
            NadamOptions n => torch
                ? n with { WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize, TorchPath = p, MomentumDecay = md }
                : n with { Maximize = maximize, MomentumDecay = md },
            RadamOptions r => torch ? r with { WeightDecayMode = WeightDecayMode.L2, Order = order, Maximize = maximize, TorchPath = p } : r with { Maximize = maximize },
            _ => throw new ArgumentException(o.ToString()),
        };

    public static IEnumerable<object[]> Optimizers() =>
        new[] { "sgd", "adam", "adagrad", "adadelta", "rmsprop", "adamax", "nadam", "radam" }.Select(x => new object[] { x });

    static Gen<IOptimizerOptions> GenFor(string name) => InOrder(name switch
    {
        "sgd" => OptimizerGens.Sgd, "adam" => OptimizerGens.Adam, "adagrad" => OptimizerGens.Adagrad,
        "adadelta" => OptimizerGens.Adadelta, "rmsprop" => OptimizerGens.Rmsprop, "adamax" => OptimizerGens.Adamax,
        "nadam" => OptimizerGens.Nadam, "radam" => OptimizerGens.Radam, _ => throw new ArgumentException(name),
    });

    const int MaxTest = 50;

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_in_every_order_float(string optimizer) =>
        Prop.ForAll(FastMatchesReferenceProperties.Cases(GenFor(optimizer)).ToArbitrary(), FastMatchesReferenceProperties.Check<float>)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(MaxTest));

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_in_every_order_double(string optimizer) =>
        Prop.ForAll(FastMatchesReferenceProperties.Cases(GenFor(optimizer)).ToArbitrary(), FastMatchesReferenceProperties.Check<double>)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(MaxTest));
}
