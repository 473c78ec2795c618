namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of AdagradOptions (docs/articles/pytorch-exact.md).
public sealed partial record AdagradOptions
{
    /// <summary>torch's default learning rate, 1e-2. The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 1e-2;

    /// <summary>
    /// <c>torch.optim.Adagrad</c> with its defaults (lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10 outside the square root) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static AdagradOptions PyTorch => new() { InitialAccumulatorValue = 0, Epsilon = 1e-10, EpsilonPlacement = EpsilonPlacement.OutsideSqrt, Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static AdagradOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>Which of torch 1.13's implementations the PyTorch orders follow. <see cref="TorchPath.Foreach"/> computes <c>-lr/(1 + (step-1)*lr_decay)</c> in float32 as torch 1.13's foreach path does. Default <see cref="TorchPath.SingleTensor"/>.</summary>
    public TorchPath TorchPath { get; init => field = OptionChecks.Defined(value, nameof(TorchPath)); }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, EpsilonPlacement, EpsilonPlacement.OutsideSqrt, nameof(EpsilonPlacement), "AdagradOptions.PyTorch");
        OrderChecks.Require(Order, WeightDecayMode, WeightDecayMode.L2, nameof(WeightDecayMode), "AdagradOptions.PyTorch");
        OrderChecks.TorchOnly(Order, TorchPath);
    }
}
