namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of SgdOptions (docs/articles/pytorch-exact.md).
public sealed partial record SgdOptions
{
    /// <summary>torch 2.x's default learning rate (torch 1.13 has none: <c>lr</c> is required). The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 1e-3;

    /// <summary>
    /// <c>torch.optim.SGD</c> with its defaults (momentum 0, dampening 0, weight_decay 0, nesterov False, maximize False, with <see cref="MomentumForm.PyTorch"/>) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static SgdOptions PyTorch => new() { MomentumForm = MomentumForm.PyTorch, Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static SgdOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, MomentumForm, MomentumForm.PyTorch, nameof(MomentumForm), "SgdOptions.PyTorch");
        OrderChecks.Require(Order, WeightDecayMode, WeightDecayMode.L2, nameof(WeightDecayMode), "SgdOptions.PyTorch");
    }
}
