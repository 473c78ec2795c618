namespace NetNumerics.Optimizers;

/// <summary>
/// Adadelta (Zeiler 2012), same formula in Keras, PyTorch and Optax:
/// <c>v = rho*v + (1-rho)*g^2; d = sqrt(u + eps)/sqrt(v + eps) * g; u = rho*u + (1-rho)*d^2; p = p - lr*d</c>.
/// Defaults are Keras: rho 0.95, eps 1e-7 (PyTorch: rho 0.9, eps 1e-6, lr 1.0). Keras 3's default
/// lr is 1e-3 (barely moves); Keras 2 and PyTorch use lr 1.0.
/// </summary>
public sealed record AdadeltaOptions : IOptimizerOptions
{
    /// <summary>Keras 3's default learning rate, 1e-3. Keras 2 and PyTorch use 1.0 (with 1e-3 Adadelta barely moves). The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Decay rate of both running averages, in [0, 1). Keras <c>rho</c> 0.95 (default); PyTorch <c>rho</c> 0.9.</summary>
    public double Rho { get; init => field = Guard.UnitInterval(value, nameof(Rho)); } = 0.95;
    /// <summary>Added inside both square roots, &gt; 0. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-6.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c> with <see cref="WeightDecayMode.L2"/>, Keras 3 <c>weight_decay</c> with <see cref="WeightDecayMode.Decoupled"/>.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch) or decoupled (Keras 3).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <inheritdoc />
    public string Name => "adadelta";

    /// <summary>"v": running mean of g^2 (PyTorch state <c>square_avg</c>, Keras <c>accumulated_grads</c>); "u": running mean of squared updates (<c>acc_delta</c>, Keras <c>accumulated_delta_vars</c>).</summary>
    public IReadOnlyList<string> SlotNames => ["v", "u"];
    /// <summary>Every Adadelta option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
