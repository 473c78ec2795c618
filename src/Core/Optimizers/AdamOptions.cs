namespace NetNumerics.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) and AMSGrad (Reddi, Kale, Kumar 2018).
/// <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2</c>; AMSGrad: <c>vmax = max(vmax, v)</c> used instead of v.
/// Update per <see cref="AdamEpsilon"/>: Keras eps-hat (default) or the paper's Algorithm 1 (PyTorch).
/// Keras defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-7 (PyTorch eps 1e-8).
/// Sources: keras/src/optimizers/adam.py, torch/optim/adam.py.
/// </summary>
public sealed partial record AdamOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public bool Amsgrad { get; init; }
    public AdamEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamEpsilon.KerasEpsilonHat;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>L2 (PyTorch Adam) by default; <see cref="WeightDecayMode.Decoupled"/> is AdamW (see <see cref="AdamWOptions"/>).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => Amsgrad ? "amsgrad" : "adam";
    public IReadOnlyList<string> SlotNames => Amsgrad ? ["m", "v", "vmax"] : ["m", "v"];
    public void Validate() => ValidateOrder();
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay <c>p = p - (lr*wd)*p</c> applied
/// before the Adam update (Keras 3 order). Keras defaults: wd 0.004, eps 1e-7 (PyTorch: wd 0.01, eps 1e-8,
/// and <c>p = p*(1 - lr*wd)</c>, equal in exact arithmetic). Same state as <see cref="AdamOptions"/>.
/// </summary>
public sealed partial record AdamWOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public bool Amsgrad { get; init; }
    public AdamEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamEpsilon.KerasEpsilonHat;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); } = 0.004;

    public string Name => Amsgrad ? "adamw-amsgrad" : "adamw";
    public IReadOnlyList<string> SlotNames => Amsgrad ? ["m", "v", "vmax"] : ["m", "v"];
    public void Validate() => ValidateOrder();

    /// <summary>The same method as an <see cref="AdamOptions"/> with decoupled weight decay.</summary>
    public AdamOptions ToAdam() => new()
    {
        Beta1 = Beta1, Beta2 = Beta2, Epsilon = Epsilon, Amsgrad = Amsgrad, EpsilonMode = EpsilonMode,
        WeightDecay = WeightDecay, WeightDecayMode = WeightDecayMode.Decoupled, Order = Order, Maximize = Maximize,
    };
}
