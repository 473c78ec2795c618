namespace NetNumerics.Optimizers;

/// <summary>
/// Stochastic gradient descent, plain, with momentum, Nesterov, dampening, weight decay.
/// Keras (default form): <c>v = m*v - lr*g; p = p + v</c>, Nesterov <c>p = p + (m*v - lr*g)</c> (keras/src/optimizers/sgd.py).
/// PyTorch: <c>b = g</c> (first step) else <c>b = m*b + (1-dampening)*g</c>; Nesterov <c>d = g + m*b</c> else <c>d = b</c>;
/// <c>p = p - lr*d</c> (torch/optim/sgd.py). Without momentum both are <c>p = p - lr*g</c>.
/// Keras default lr 0.01, PyTorch 1e-3.
/// </summary>
public sealed record SgdOptions : IOptimizerOptions
{
    /// <summary>Keras default learning rate (PyTorch: 1e-3).</summary>
    public const double KerasDefaultLearningRate = 0.01;

    /// <summary>Momentum m in [0, 1); 0 = plain SGD (no state). Default 0.</summary>
    public double Momentum { get; init => field = Guard.UnitInterval(value, nameof(Momentum)); }

    /// <summary>Nesterov momentum (needs Momentum &gt; 0). Default false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>PyTorch dampening in [0, 1); only with <see cref="MomentumForm.PyTorch"/>. Default 0.</summary>
    public double Dampening { get; init => field = Guard.UnitInterval(value, nameof(Dampening)); }

    /// <summary>Weight decay coefficient &gt;= 0. Default 0.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch <c>weight_decay</c>) or decoupled (Keras 3 <c>weight_decay</c>).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <summary>Keras (lr inside the velocity, default) or PyTorch (lr outside the buffer).</summary>
    public MomentumForm MomentumForm { get; init => field = OptionChecks.Defined(value, nameof(MomentumForm)); } = MomentumForm.Keras;

    /// <summary>"sgd" without momentum, else "sgd-momentum-" or "sgd-nesterov-" followed by "keras" or "pytorch" (the <see cref="MomentumForm"/>).</summary>
    public string Name => Momentum == 0 ? "sgd"
        : (Nesterov ? "sgd-nesterov-" : "sgd-momentum-") + (MomentumForm == MomentumForm.Keras ? "keras" : "pytorch");

    /// <summary>None without momentum; "velocity" in the Keras form (Keras <c>momentums</c>, holding <c>v = m*v - lr*g</c>); "momentum_buffer" in the PyTorch form (the same name as PyTorch's state).</summary>
    public IReadOnlyList<string> SlotNames => Momentum == 0 ? []
        : MomentumForm == MomentumForm.Keras ? ["velocity"] : ["momentum_buffer"];

    /// <summary>Rejects the combinations Keras and PyTorch reject.</summary>
    /// <exception cref="ArgumentException">Nesterov without momentum, dampening outside the PyTorch form, or Nesterov with dampening.</exception>
    public void Validate()
    {
        if (Nesterov && Momentum == 0)
            throw new ArgumentException($"Nesterov = true needs Momentum > 0, but Momentum was {Momentum}.", nameof(Nesterov));
        if (Dampening != 0 && MomentumForm != MomentumForm.PyTorch)
            throw new ArgumentException(
                $"Dampening = {Dampening} is only defined for MomentumForm.PyTorch (Keras has no dampening); use 0 or the PyTorch form.", nameof(Dampening));
        if (Nesterov && Dampening != 0)
            throw new ArgumentException($"Nesterov momentum needs Dampening = 0 (as in PyTorch), but Dampening was {Dampening}.", nameof(Dampening));
    }
}
