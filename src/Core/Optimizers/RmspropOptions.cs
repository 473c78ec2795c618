namespace NetNumerics.Optimizers;

/// <summary>
/// RMSprop (Hinton, lecture 6e), plain, centered, with momentum.
/// <c>v = rho*v + (1-rho)*g^2</c>; centered: <c>mg = rho*mg + (1-rho)*g; s = v - mg^2</c>, else <c>s = v</c>;
/// <c>q = g/sqrt(s + eps)</c> (Keras 3, default) or <c>q = g/(sqrt(s) + eps)</c> (PyTorch, Keras 2);
/// no momentum: <c>p = p - lr*q</c>; Keras momentum: <c>b = mom*b + lr*q; p = p - b</c>;
/// PyTorch momentum: <c>b = mom*b + q; p = p - lr*b</c>.
/// Keras defaults lr 1e-3, rho 0.9, eps 1e-7 (PyTorch: lr 1e-2, alpha 0.99, eps 1e-8).
/// Sources: keras/src/optimizers/rmsprop.py, torch/optim/rmsprop.py.
/// </summary>
public sealed partial record RmspropOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    public double Rho { get; init => field = Guard.UnitInterval(value, nameof(Rho)); } = 0.9;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public double Momentum { get; init => field = Guard.UnitInterval(value, nameof(Momentum)); }
    public bool Centered { get; init; }
    public EpsilonPlacement EpsilonPlacement { get; init => field = OptionChecks.Defined(value, nameof(EpsilonPlacement)); } = EpsilonPlacement.InsideSqrt;
    public MomentumForm MomentumForm { get; init => field = OptionChecks.Defined(value, nameof(MomentumForm)); } = MomentumForm.Keras;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => "rmsprop" + (Centered ? "-centered" : "")
        + (Momentum == 0 ? "" : MomentumForm == MomentumForm.Keras ? "-momentum-keras" : "-momentum-pytorch");

    public IReadOnlyList<string> SlotNames =>
        [.. new[] { "v" }, .. Centered ? new[] { "mg" } : [], .. Momentum != 0 ? new[] { "momentum" } : []];

    public void Validate() => ValidateOrder();
}
