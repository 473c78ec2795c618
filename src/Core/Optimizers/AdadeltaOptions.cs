namespace NetNumerics.Optimizers;

/// <summary>
/// Adadelta (Zeiler 2012), same formula in Keras, PyTorch and Optax:
/// <c>v = rho*v + (1-rho)*g^2; d = sqrt(u + eps)/sqrt(v + eps) * g; u = rho*u + (1-rho)*d^2; p = p - lr*d</c>.
/// Defaults are Keras: rho 0.95, eps 1e-7 (PyTorch: rho 0.9, eps 1e-6, lr 1.0). Keras 3's default
/// lr is 1e-3 (barely moves); Keras 2 and PyTorch use lr 1.0.
/// </summary>
public sealed partial record AdadeltaOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    public double Rho { get; init => field = Guard.UnitInterval(value, nameof(Rho)); } = 0.95;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => "adadelta";

    /// <summary>"v": running mean of g^2; "u": running mean of squared updates.</summary>
    public IReadOnlyList<string> SlotNames => ["v", "u"];
    public void Validate() => ValidateOrder();
}
