namespace NetNumerics.Optimizers;

/// <summary>
/// AdaMax (Kingma &amp; Ba 2015, section 7.1). <c>m = b1*m + (1-b1)*g</c>;
/// Keras (default): <c>u = max(b2*u, |g|); p = p - lr/(1-b1^t) * m/(u + eps)</c>;
/// PyTorch: <c>u = max(b2*u, |g| + eps); p = p - lr/(1-b1^t) * m/u</c>.
/// Keras 3 defaults lr 1e-3, eps 1e-7 (Keras 2 and PyTorch lr 2e-3; PyTorch eps 1e-8).
/// </summary>
public sealed partial record AdamaxOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public AdamaxEpsilon EpsilonMode { get; init => field = OptionChecks.Defined(value, nameof(EpsilonMode)); } = AdamaxEpsilon.KerasOutsideMax;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => "adamax";

    /// <summary>"m": first moment; "u": exponentially weighted infinity norm.</summary>
    public IReadOnlyList<string> SlotNames => ["m", "u"];
    public void Validate() => ValidateOrder();
}
