namespace NetNumerics.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) and AMSGrad (Reddi, Kale, Kumar 2018).
/// <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2</c>; AMSGrad: <c>vmax = max(vmax, v)</c> used instead of v.
/// Update per <see cref="AdamEpsilon"/>: Keras eps-hat (default) or the paper's Algorithm 1 (PyTorch).
/// Keras defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-7 (PyTorch eps 1e-8).
/// Sources: keras/src/optimizers/adam.py, torch/optim/adam.py.
/// </summary>
public sealed record AdamOptions : IOptimizerOptions
{
    /// <summary>Keras' (and PyTorch's) default learning rate, 1e-3. The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Decay rate of the first moment m, in [0, 1). Keras <c>beta_1</c>, PyTorch <c>betas[0]</c>; default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    /// <summary>Decay rate of the second moment v, in [0, 1). Keras <c>beta_2</c>, PyTorch <c>betas[1]</c>; default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    /// <summary>Numerical-stability term, &gt; 0; which of the paper's two epsilons it is depends on <see cref="EpsilonMode"/>. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <summary>Keras and PyTorch <c>amsgrad</c>: divide by the running maximum <c>vmax = max(vmax, v)</c> instead of v, in the extra slot "vmax". Default false.</summary>
    public bool Amsgrad { get; init; }
    /// <summary>Where epsilon goes: <see cref="AdamEpsilon.KerasEpsilonHat"/> (default) or <see cref="AdamEpsilon.PaperAlgorithm1"/> (PyTorch, Optax). Pick Algorithm 1 for the PyTorch formula.</summary>
    public AdamEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamEpsilon.KerasEpsilonHat;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch Adam's <c>weight_decay</c> in the default L2 mode.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>L2 (PyTorch Adam) by default; <see cref="WeightDecayMode.Decoupled"/> is AdamW (see <see cref="AdamWOptions"/>).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <summary>"adam", or "amsgrad" when <see cref="Amsgrad"/> is set.</summary>
    public string Name => Amsgrad ? "amsgrad" : "adam";
    /// <summary>"m" (PyTorch state <c>exp_avg</c>, Keras <c>momentums</c>), "v" (<c>exp_avg_sq</c>, Keras <c>velocities</c>) and, with AMSGrad, "vmax" (<c>max_exp_avg_sq</c>, Keras <c>velocity_hats</c>).</summary>
    public IReadOnlyList<string> SlotNames => Amsgrad ? ["m", "v", "vmax"] : ["m", "v"];
    /// <summary>Every Adam option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay <c>p = p - (lr*wd)*p</c> applied
/// before the Adam update (Keras 3 order). Keras defaults: wd 0.004, eps 1e-7 (PyTorch: wd 0.01, eps 1e-8,
/// and <c>p = p*(1 - lr*wd)</c>, equal in exact arithmetic). Same state as <see cref="AdamOptions"/>.
/// </summary>
public sealed record AdamWOptions : IOptimizerOptions
{
    /// <summary>Keras' (and PyTorch's) default learning rate, 1e-3. The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Decay rate of the first moment m, in [0, 1). Keras <c>beta_1</c>, PyTorch <c>betas[0]</c>; default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    /// <summary>Decay rate of the second moment v, in [0, 1). Keras <c>beta_2</c>, PyTorch <c>betas[1]</c>; default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    /// <summary>Numerical-stability term, &gt; 0, placed per <see cref="EpsilonMode"/>. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <summary>AMSGrad's running maximum of v (slot "vmax"), as in <see cref="AdamOptions.Amsgrad"/>. Default false.</summary>
    public bool Amsgrad { get; init; }
    /// <summary>Where epsilon goes: <see cref="AdamEpsilon.KerasEpsilonHat"/> (default) or <see cref="AdamEpsilon.PaperAlgorithm1"/> (PyTorch).</summary>
    public AdamEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamEpsilon.KerasEpsilonHat;
    /// <summary>Decoupled weight decay wd, finite and &gt;= 0: <c>p = p - (lr*wd)*p</c> before the Adam step. Keras <c>weight_decay</c> 0.004 (default); PyTorch AdamW <c>weight_decay</c> 0.01.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); } = 0.004;

    /// <summary>"adamw", or "adamw-amsgrad" when <see cref="Amsgrad"/> is set.</summary>
    public string Name => Amsgrad ? "adamw-amsgrad" : "adamw";
    /// <summary>Adam's slots: "m", "v" and, with AMSGrad, "vmax" (see <see cref="AdamOptions.SlotNames"/>).</summary>
    public IReadOnlyList<string> SlotNames => Amsgrad ? ["m", "v", "vmax"] : ["m", "v"];
    /// <summary>Every AdamW option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }

    /// <summary>The same method as an <see cref="AdamOptions"/> with decoupled weight decay.</summary>
    public AdamOptions ToAdam() => new()
    {
        Beta1 = Beta1, Beta2 = Beta2, Epsilon = Epsilon, Amsgrad = Amsgrad, EpsilonMode = EpsilonMode,
        WeightDecay = WeightDecay, WeightDecayMode = WeightDecayMode.Decoupled,
    };
}
