namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of NadamOptions (docs/articles/pytorch-exact.md).
public sealed partial record NadamOptions
{
    /// <summary>torch's default learning rate, 2e-3. The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 2e-3;

    /// <summary>
    /// <c>torch.optim.NAdam</c> with its defaults (betas (0.9, 0.999), eps 1e-8, weight_decay 0, momentum_decay 4e-3, <c>mu_product</c> kept in float32 as torch keeps it) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static NadamOptions PyTorch => new() { Epsilon = 1e-8, MomentumDecay = 4e-3, Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static NadamOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>Which of torch 1.13's implementations the PyTorch orders follow. <see cref="TorchPath.SingleTensor"/> is torch 1.13's rule (it counts mu twice in <c>mu_product_next</c> and takes <c>sqrt(v/bc2)</c>); <see cref="TorchPath.Foreach"/> is the corrected rule of 1.13's foreach path and later releases (<c>mu_product*mu_next</c> in double, <c>sqrt(v)/sqrt(bc2)</c>). Default <see cref="TorchPath.SingleTensor"/>.</summary>
    public TorchPath TorchPath { get; init => field = OptionChecks.Defined(value, nameof(TorchPath)); }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, WeightDecayMode, WeightDecayMode.L2, nameof(WeightDecayMode), "NadamOptions.PyTorch");
        OrderChecks.TorchOnly(Order, TorchPath);
    }
}
