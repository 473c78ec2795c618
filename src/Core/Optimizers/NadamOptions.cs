namespace NetNumerics.Optimizers;

/// <summary>
/// Nadam (Dozat 2016). <c>mu_t = b1*(1 - 0.5*0.96^(t*d))</c> (d per <see cref="NadamSchedule"/>),
/// <c>P_t = mu_1*...*mu_t</c>; <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2</c>;
/// <c>mhat = mu_{t+1}/(1 - P_t*mu_{t+1}) * m + (1-mu_t)/(1 - P_t) * g</c>;
/// <c>p = p - lr * mhat/(sqrt(v/(1-b2^t)) + eps)</c> (eps on the bias-corrected v in Keras and PyTorch alike).
/// Defaults: b1 0.9, b2 0.999, eps 1e-7, Keras 2 schedule (Keras 2 lr 2e-3; Keras 3 lr 1e-3).
/// Sources: keras/optimizers.py (2.2.4), keras/src/optimizers/nadam.py, torch/optim/nadam.py.
/// </summary>
public sealed partial record NadamOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 2e-3;

    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;
    public NadamSchedule Schedule { get; init => field = OptionChecks.Defined(value, nameof(Schedule)); } = NadamSchedule.Keras2PyTorch;
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <summary>
    /// d in <c>0.96^(t*d)</c>, finite and &gt;= 0 (torch's <c>momentum_decay</c>): 0.004 (Keras 2, PyTorch) or 1 (Keras 3)
    /// as <see cref="Schedule"/> says, unless set.
    /// </summary>
    public double MomentumDecay
    {
        get => _momentumDecay ?? (Schedule == NadamSchedule.Keras3 ? 1.0 : 0.004);
        init => _momentumDecay = Guard.NonNegativeFinite(value, nameof(MomentumDecay));
    }

    readonly double? _momentumDecay;

    public string Name => Schedule == NadamSchedule.Keras3 ? "nadam-keras3" : "nadam";
    public IReadOnlyList<string> SlotNames => ["m", "v"];
    public void Validate() => ValidateOrder();
}
