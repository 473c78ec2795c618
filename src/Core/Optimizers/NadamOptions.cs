namespace NetNumerics.Optimizers;

/// <summary>
/// Nadam (Dozat 2016). <c>mu_t = b1*(1 - 0.5*0.96^(t*d))</c> (d per <see cref="NadamSchedule"/>),
/// <c>P_t = mu_1*...*mu_t</c>; <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2</c>;
/// <c>mhat = mu_{t+1}/(1 - P_t*mu_{t+1}) * m + (1-mu_t)/(1 - P_t) * g</c>;
/// <c>p = p - lr * mhat/(sqrt(v/(1-b2^t)) + eps)</c> (eps on the bias-corrected v in Keras and PyTorch alike).
/// Defaults: b1 0.9, b2 0.999, eps 1e-7, Keras 2 schedule (Keras 2 lr 2e-3; Keras 3 lr 1e-3).
/// Sources: keras/optimizers.py (2.2.4), keras/src/optimizers/nadam.py, torch/optim/nadam.py.
/// </summary>
public sealed record NadamOptions : IOptimizerOptions
{
    /// <summary>Keras 2's (and PyTorch's) default learning rate, 2e-3 (Keras 3: 1e-3). The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 2e-3;

    /// <summary>Momentum decay b1 in [0, 1), the base of the momentum schedule mu_t. Keras <c>beta_1</c>, PyTorch <c>betas[0]</c>; default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    /// <summary>Decay rate of the second moment v, in [0, 1). Keras <c>beta_2</c>, PyTorch <c>betas[1]</c>; default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    /// <summary>Added to <c>sqrt(v/(1-b2^t))</c>, &gt; 0. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-8.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    /// <summary>Which momentum schedule: <see cref="NadamSchedule.Keras2PyTorch"/> (default, d = 0.004) or <see cref="NadamSchedule.Keras3"/> (d = 1).</summary>
    public NadamSchedule Schedule { get; init => field = OptionChecks.Defined(value, nameof(Schedule)); } = NadamSchedule.Keras2PyTorch;
    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c> (L2).</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch) or decoupled (PyTorch <c>decoupled_weight_decay=True</c>, Keras 3).</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <summary>d in <c>0.96^(t*d)</c>: 0.004 (Keras 2, PyTorch) or 1 (Keras 3).</summary>
    public double MomentumDecay => Schedule == NadamSchedule.Keras3 ? 1.0 : 0.004;

    /// <summary>"nadam", or "nadam-keras3" with <see cref="NadamSchedule.Keras3"/>.</summary>
    public string Name => Schedule == NadamSchedule.Keras3 ? "nadam-keras3" : "nadam";
    /// <summary>"m" (PyTorch <c>exp_avg</c>, Keras <c>momentums</c>) and "v" (<c>exp_avg_sq</c>, Keras <c>velocities</c>). PyTorch's <c>mu_product</c> and Keras' <c>u_product</c> are not stored: they are recomputed from the step.</summary>
    public IReadOnlyList<string> SlotNames => ["m", "v"];
    /// <summary>Every Nadam option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
