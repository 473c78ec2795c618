namespace NetNumerics.Optimizers;

/// <summary>
/// RAdam (Liu et al. 2020), PyTorch form (torch/optim/radam.py; Keras has none).
/// m, v as Adam; <c>rho_inf = 2/(1-b2) - 1; rho_t = rho_inf - 2*t*b2^t/(1-b2^t)</c>;
/// if <c>rho_t &gt; 5</c>: <c>r = sqrt((rho_t-4)(rho_t-2)rho_inf/((rho_inf-4)(rho_inf-2)rho_t))</c>,
/// <c>p = p - lr*r*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v) + eps)</c>; else <c>p = p - lr/(1-b1^t) * m</c>.
/// PyTorch defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-8.
/// </summary>
public sealed record RadamOptions : IOptimizerOptions
{
    /// <summary>PyTorch's default learning rate, 1e-3 (Keras has no RAdam). The rate is passed to every update, not set here.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>Decay rate of the first moment m, in [0, 1). PyTorch <c>betas[0]</c>; default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    /// <summary>Decay rate of the second moment v, in [0, 1); it also sets rho_inf = 2/(1-b2) - 1. PyTorch <c>betas[1]</c>; default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    /// <summary>Added to sqrt(v) in the rectified step, &gt; 0. PyTorch <c>eps</c>; default 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-8;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c>.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default) or decoupled (PyTorch <c>decoupled_weight_decay=True</c>).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <inheritdoc />
    public string Name => "radam";
    /// <summary>"m" (PyTorch <c>exp_avg</c>) and "v" (<c>exp_avg_sq</c>).</summary>
    public IReadOnlyList<string> SlotNames => ["m", "v"];
    /// <summary>Every RAdam option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
