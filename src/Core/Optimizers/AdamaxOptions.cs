namespace NetNumerics.Optimizers;

/// <summary>
/// AdaMax (Kingma &amp; Ba 2015, section 7.1). <c>m = b1*m + (1-b1)*g</c>;
/// Keras (default): <c>u = max(b2*u, |g|); p = p - lr/(1-b1^t) * m/(u + eps)</c>;
/// PyTorch: <c>u = max(b2*u, |g| + eps); p = p - lr/(1-b1^t) * m/u</c>.
/// Keras 3 defaults lr 1e-3, eps 1e-7 (Keras 2 and PyTorch lr 2e-3; PyTorch eps 1e-8).
/// </summary>
public sealed record AdamaxOptions : IOptimizerOptions
{
    /// <summary>Keras 3's default learning rate, 1e-3 (Keras 2 and PyTorch: 2e-3). The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Decay rate of the first moment m, in [0, 1). Keras <c>beta_1</c>, PyTorch <c>betas[0]</c>; default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    /// <summary>Decay of the infinity norm u, in [0, 1). Keras <c>beta_2</c>, PyTorch <c>betas[1]</c>; default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    /// <summary>Numerical-stability term, &gt; 0, placed per <see cref="EpsilonMode"/>. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <see cref="AdamaxEpsilon.KerasOutsideMax"/> (default) or <see cref="AdamaxEpsilon.PyTorchInsideMax"/>.
    public AdamaxEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamaxEpsilon.KerasOutsideMax;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c> (L2).</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch) or decoupled (Keras 3).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <inheritdoc />
    public string Name => "adamax";

    /// <summary>"m": first moment (PyTorch state <c>exp_avg</c>, Keras <c>m</c>); "u": exponentially weighted infinity norm (<c>exp_inf</c>, Keras <c>u</c>).</summary>
    public IReadOnlyList<string> SlotNames => ["m", "u"];
    /// <summary>Every AdaMax option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
