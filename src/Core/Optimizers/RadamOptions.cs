namespace NetNumerics.Optimizers;

/// <summary>
/// RAdam (Liu et al. 2020), PyTorch form (torch/optim/radam.py; Keras has none).
/// m, v as Adam; <c>rho_inf = 2/(1-b2) - 1; rho_t = rho_inf - 2*t*b2^t/(1-b2^t)</c>;
/// if <c>rho_t &gt; 5</c>: <c>r = sqrt((rho_t-4)(rho_t-2)rho_inf/((rho_inf-4)(rho_inf-2)rho_t))</c>,
/// <c>p = p - lr*r*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v) + eps)</c>; else <c>p = p - lr/(1-b1^t) * m</c>.
/// PyTorch defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-8.
/// </summary>
public sealed partial record RadamOptions : IOptimizerOptions
{
    public const double DefaultLearningRate = 1e-3;

    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-8;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => "radam";
    public IReadOnlyList<string> SlotNames => ["m", "v"];
    public void Validate() => ValidateOrder();
}
