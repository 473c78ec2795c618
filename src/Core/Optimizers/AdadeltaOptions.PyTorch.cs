namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of AdadeltaOptions (docs/articles/pytorch-exact.md).
public sealed partial record AdadeltaOptions
{
    /// <summary>torch's default learning rate, 1.0. The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 1.0;

    /// <summary>
    /// <c>torch.optim.Adadelta</c> with its defaults (rho 0.9, eps 1e-6, weight_decay 0) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static AdadeltaOptions PyTorch => new() { Rho = 0.9, Epsilon = 1e-6, Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static AdadeltaOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, WeightDecayMode, WeightDecayMode.L2, nameof(WeightDecayMode), "AdadeltaOptions.PyTorch");
    }
}
