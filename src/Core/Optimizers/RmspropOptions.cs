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
public sealed record RmspropOptions : IOptimizerOptions
{
    /// <summary>Keras' default learning rate, 1e-3 (PyTorch: 1e-2). The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Decay rate of the running mean of g^2, in [0, 1). Keras <c>rho</c> 0.9 (default); PyTorch <c>alpha</c> 0.99.</summary>
    public double Rho { get; init => field = Guard.UnitInterval(value, nameof(Rho)); } = 0.9;
    /// <summary>Numerical-stability term, &gt; 0, placed per <see cref="EpsilonPlacement"/>. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <summary>Momentum coefficient in [0, 1); 0 (default) is plain RMSprop with no "momentum" slot. Keras and PyTorch <c>momentum</c>.</summary>
    public double Momentum { get; init => field = Guard.UnitInterval(value, nameof(Momentum)); }
    /// <summary>Keras and PyTorch <c>centered</c>: divide by an estimate of the variance, <c>v - mg^2</c>, keeping the running mean of g in the slot "mg". Default false.</summary>
    public bool Centered { get; init; }
    /// <see cref="EpsilonPlacement.InsideSqrt"/> (Keras 3, default) or <see cref="EpsilonPlacement.OutsideSqrt"/> (PyTorch, Keras 2).
    public EpsilonPlacement EpsilonPlacement { get; init => field = OptionChecks.Defined(value, nameof(EpsilonPlacement)); } = EpsilonPlacement.InsideSqrt;
    /// <summary>Where the learning rate sits relative to the momentum buffer: <see cref="MomentumForm.Keras"/> (default) or <see cref="MomentumForm.PyTorch"/>. Only read when <see cref="Momentum"/> &gt; 0.</summary>
    public MomentumForm MomentumForm { get; init => field = OptionChecks.Defined(value, nameof(MomentumForm)); } = MomentumForm.Keras;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c> (L2).</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch) or decoupled (Keras 3).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <summary>"rmsprop", plus "-centered" when centered and "-momentum-keras" or "-momentum-pytorch" with momentum.</summary>
    public string Name => "rmsprop" + (Centered ? "-centered" : "")
        + (Momentum == 0 ? "" : MomentumForm == MomentumForm.Keras ? "-momentum-keras" : "-momentum-pytorch");

    /// <summary>"v" (PyTorch <c>square_avg</c>, Keras <c>velocities</c>); when centered "mg" (<c>grad_avg</c>, Keras <c>average_gradients</c>); with momentum "momentum" (<c>momentum_buffer</c>, Keras <c>momentums</c>).</summary>
    public IReadOnlyList<string> SlotNames =>
        [.. new[] { "v" }, .. Centered ? new[] { "mg" } : [], .. Momentum != 0 ? new[] { "momentum" } : []];

    /// <summary>Every RMSprop option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
