namespace NetNumerics.Optimizers;

/// <summary>
/// Schedule-Free learning (Defazio et al. 2024, <i>The Road Less Scheduled</i>, arXiv:2405.15682) as a wrapper over a
/// base optimizer, as Optax's <c>contrib.schedule_free</c> does. Three sequences: the base optimizer steps z with the
/// gradient taken at y; x is the weighted average of the z's; the parameters the model trains with are y:
/// <code>
/// lr_max = max(lr_max, lr_t);  w_t = lr_max^r;  W_t = W_{t-1} + w_t;  c_t = w_t / W_t   (0 while W_t = 0)
/// z_t = base(z_{t-1}, g_t = grad f(y_{t-1}), lr_t) - lr_t * wd * y_{t-1}
/// x_t = (1 - c_t) * x_{t-1} + c_t * z_t
/// y_t = b1 * x_t + (1 - b1) * z_t          (computed as z_t + b1 * (x_t - z_t): exact when x = z or b1 = 0)
/// </code>
/// with x_0 = z_0 = y_0 = the parameters before the first update. Evaluate (validation, test, export) at x, which
/// <see cref="IEvaluationWeights"/> gives; train at y. Unlike Optax, x is kept as a slot instead of being recomputed as
/// (y - (1-b1) z)/b1, which is not exact in floating point and undefined for b1 = 0; it costs one tensor.
/// The base must not have momentum of its own (Adam with b1 = 0, SGD without momentum): the interpolation replaces it.
/// Warm-up comes from the learning rate handed to each update (a schedule such as <c>warmup:...</c>); the weights
/// w_t = lr_max^r then give the warm-up steps little weight in the average (r = <see cref="WeightLrPower"/>).
/// </summary>
public sealed record ScheduleFreeOptions : IOptimizerOptions
{
    /// <summary>Optax <c>schedule_free_sgd</c>'s default learning rate (Facebook's SGDScheduleFree too).</summary>
    public const double SgdDefaultLearningRate = 1.0;
    /// <summary>Optax <c>schedule_free_adamw</c>'s default learning rate (Facebook's AdamWScheduleFree too).</summary>
    public const double AdamWDefaultLearningRate = 0.0025;

    /// <summary>The base of <c>schedule_free_sgd</c>: plain SGD (no momentum, no weight decay: the wrapper's <see cref="WeightDecay"/> acts at y).</summary>
    public static SgdOptions SgdBase => new();

    /// <summary>
    /// The base of <c>schedule_free_adamw</c>: Adam with b1 = 0 (no first moment), b2 0.999, eps 1e-8 outside the square
    /// root of the bias-corrected second moment (Optax <c>scale_by_rms(eps_in_sqrt=False, bias_correction=True)</c>):
    /// <c>v = b2*v + (1-b2)*g^2; z -= lr * g / (sqrt(v)/sqrt(1-b2^t) + eps)</c>.
    /// </summary>
    public static AdamOptions AdamWBase => new() { Beta1 = 0, Beta2 = 0.999, Epsilon = 1e-8, EpsilonMode = AdamEpsilon.PaperAlgorithm1 };

    /// <summary>Schedule-Free SGD as Optax <c>schedule_free_sgd</c> (b1 0.9, r 2, no weight decay; lr 1.0).</summary>
    public static ScheduleFreeOptions Sgd => new() { Base = SgdBase };

    /// <summary>Schedule-Free AdamW as Optax <c>schedule_free_adamw</c> (b1 0.9, b2 0.999, eps 1e-8, r 2, wd 0; lr 0.0025).</summary>
    public static ScheduleFreeOptions AdamW => new() { Base = AdamWBase };

    /// <summary>The optimizer that steps z (its own slots follow "z" and "x" in the state). Default plain SGD.</summary>
    public IOptimizerOptions Base
    {
        get;
        init => field = WrappedBase.Check(value, "Schedule-Free", evaluatesElsewhere: true, nameof(Base));
    } = new SgdOptions();

    /// <summary>b1 in [0, 1): the weight of the average x in the point y where gradients are taken (y = b1*x + (1-b1)*z). Default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;

    /// <summary>r &gt;= 0: the averaging weight of step t is lr_max^r (Optax <c>weight_lr_power</c>); 0 gives the plain running mean (c_t = 1/t). Default 2.</summary>
    public double WeightLrPower { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightLrPower)); } = 2.0;

    /// <summary>
    /// Decoupled weight decay wd &gt;= 0 taken at y, as the paper's Algorithm 2 and Optax's forms
    /// (<c>add_decayed_weights</c> on the parameters y): <c>z -= lr*wd*y</c> after the base step. Default 0.
    /// </summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>"sf-" and the base's name, e.g. "sf-sgd", "sf-adam".</summary>
    public string Name => "sf-" + Base.Name;

    /// <summary>"z" (the base optimizer's iterate), "x" (the average, for evaluation), then the base's slots.</summary>
    public IReadOnlyList<string> SlotNames => ["z", "x", .. Base.SlotNames];

    /// <summary>"lr_max" (the largest learning rate so far) and "weight_sum" (W_t, the sum of the averaging weights).</summary>
    public IReadOnlyList<string> ScalarNames => ["lr_max", "weight_sum"];

    /// <summary>The base's own checks (a base with scalars, or one that keeps evaluation weights, is refused when it is set).</summary>
    public void Validate() => Base.Validate();
}
