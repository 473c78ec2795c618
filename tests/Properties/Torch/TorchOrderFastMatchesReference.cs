using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Properties.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// Fast == Reference bit for bit (0 ULP) in torch's orders, as FastMatchesReferenceProperties proves for the Keras
/// order: every optimizer, random hyperparameters, both torch paths, maximize on and off, float and double, every
/// vector width (the kit's KernelCheck.Optimizer: 7 steps, compared and re-synced after each), random lengths, values
/// and a learning rate that changes every step. Both paths apply the same IEEE
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

    // 10 option records x 5 generated cases x 7 steps (re-synced after each) x every width, per optimizer and type.
    const int OptionRecords = 10, CasesPerRecord = 5;

    static void Check<T>(string optimizer, Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        FastReferenceCases.Check(InOrder(FastReferenceCases.OptionsFor(optimizer)), values, OptionRecords, CasesPerRecord);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_in_every_order_float(string optimizer) => Check(optimizer, FastReferenceCases.Typical<float>());

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_in_every_order_double(string optimizer) => Check(optimizer, FastReferenceCases.Typical<double>());

    /// <summary>
    /// The same on the whole float range (subnormals, values near overflow, infinities, NaNs): a fused multiply-add
    /// rounds once in both paths, so it too propagates infinities and NaN the same way; NaN payloads are compared as
    /// the kit's default, any NaN where the Reference has NaN (two NaNs meeting give an unspecified one).
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_in_every_order_on_the_whole_float_range(string optimizer) => Check(optimizer, FloatGen.AnyClass<float>());
}
