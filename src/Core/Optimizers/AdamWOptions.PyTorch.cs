namespace NetNumerics.Optimizers;

// The PyTorch presets and torch-only switches of AdamWOptions (docs/articles/pytorch-exact.md).
public sealed partial record AdamWOptions
{
    /// <summary>torch's default learning rate, 1e-3. The rate is passed to every update, not set here.</summary>
    public const double PyTorchDefaultLearningRate = 1e-3;

    /// <summary>
    /// <c>torch.optim.AdamW</c> with its defaults (betas (0.9, 0.999), eps 1e-8, weight_decay 0.01 applied as <c>p = p*(1 - lr*wd)</c>, amsgrad False) and torch 1.13's single-tensor operation order over plain
    /// IEEE kernels: the bits torch gives with <c>ATEN_CPU_CAPABILITY=default</c>.
    /// </summary>
    public static AdamWOptions PyTorch => new() { Epsilon = 1e-8, WeightDecay = 0.01, EpsilonMode = AdamEpsilon.PaperAlgorithm1, Order = OperationOrder.PyTorch };

    /// <summary>As <see cref="PyTorch"/>, with torch's native (fused multiply-add) CPU kernels: the bits torch gives on an AVX2 or AVX-512 machine.</summary>
    public static AdamWOptions PyTorchFused => PyTorch with { Order = OperationOrder.PyTorchFused };

    /// <summary>Whose operation order the update follows; <see cref="OperationOrder.Keras"/> (default) or one of torch's.</summary>
    public OperationOrder Order { get; init => field = OptionChecks.Defined(value, nameof(Order)); }

    /// <summary>torch's <c>maximize</c>: the gradient's sign is flipped before anything else, so the update ascends. Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>With a PyTorch order every form option must name torch's formula.</summary>
    void ValidateOrder()
    {
        OrderChecks.Require(Order, EpsilonMode, AdamEpsilon.PaperAlgorithm1, nameof(EpsilonMode), "AdamWOptions.PyTorch");
    }
}
