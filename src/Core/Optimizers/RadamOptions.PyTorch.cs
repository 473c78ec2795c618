namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of RadamOptions (docs/articles/pytorch-exact.md).
public sealed partial record RadamOptions
{
    /// <summary>torch's default learning rate, 1e-3. The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 1e-3;

    /// <summary>
    /// <c>torch.optim.RAdam</c> with its defaults (betas (0.9, 0.999), eps 1e-8, weight_decay 0) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static RadamOptions PyTorch => new() { Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static RadamOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>Which of torch 1.13's implementations the PyTorch orders follow. <see cref="TorchPath.Foreach"/> is torch 1.13's foreach algorithm: no eps, and two addcdivs whatever the branch, so while unrectified an element whose <c>exp_avg_sq</c> is 0 becomes NaN, as in torch. Default <see cref="TorchPath.SingleTensor"/>.</summary>
    public TorchPath TorchPath { get; init => field = OptionChecks.Defined(value, nameof(TorchPath)); }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, WeightDecayMode, WeightDecayMode.L2, nameof(WeightDecayMode), "RadamOptions.PyTorch");
        OrderChecks.TorchOnly(Order, TorchPath);
    }
}
