namespace NetNumerics.Optimizers;

/// <summary>
/// LAMB, "Layer-wise Adaptive Moments for Batch training" (You et al. 2020, <i>Large Batch Optimization for Deep
/// Learning: Training BERT in 76 minutes</i>, arXiv:1904.00962, Algorithm 2): Adam's moments, decoupled weight decay,
/// and one trust ratio per tensor that makes the step's norm lr times the parameters' norm:
/// <code>
/// m = b1*m + (1-b1)*g;   v = b2*v + (1-b2)*g^2
/// u = (m/bc1) / (sqrt(v/bc2) + eps) + wd*p          bc1 = 1-b1^t, bc2 = 1-b2^t (1 without bias correction)
/// r = ||p|| / ||u||   (r = 1 when either norm is 0; min(r, 1) with TrustClip)
/// p = p - lr*r*u
/// </code>
/// The norms are over the whole tensor (one "layer" of the paper). This library follows Optax <c>optax.lamb</c>
/// (= <c>scale_by_adam</c> + <c>add_decayed_weights</c> + <c>scale_by_trust_ratio</c>): bias correction on, eps 1e-6
/// outside the square root, weight decay inside u (so inside the trust ratio), the ratio applied to every tensor, no clamp
/// on the ratio (the paper's phi is the identity). Where the peers differ: NVIDIA apex <c>FusedLAMB</c> and timm
/// <c>Lamb</c> default to weight decay 0.01, clip the global gradient norm to 1.0 first (here: <c>--clip-norm</c>), and
/// leave the ratio at 1 for tensors without weight decay unless <c>use_nvlamb</c> / <c>always_adapt</c> is set; timm's
/// <c>trust_clip</c> is <see cref="TrustClip"/>; both offer <c>bias_correction=False</c> (<see cref="BiasCorrection"/>);
/// Keras 3 <c>keras.optimizers.Lamb</c> uses eps 1e-7 and applies its weight decay outside the ratio; the reference
/// implementation of Ben Mann (pytorch-lamb) clamps ||p|| at 10. State: slots "m", "v".
/// </summary>
public sealed record LambOptions : IOptimizerOptions
{
    /// <summary>The learning rate of NVIDIA apex FusedLAMB and timm Lamb (Optax has none; the paper tunes it per batch size).</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>b1 in [0, 1): decay of the first moment. Default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;

    /// <summary>b2 in [0, 1): decay of the second moment. Default 0.999.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.999;

    /// <summary>eps &gt; 0, added to sqrt(v_hat) (Optax <c>eps</c>, outside the square root). Default 1e-6 (Optax, apex, timm).</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-6;

    /// <summary>
    /// Decoupled weight decay wd &gt;= 0, added to the Adam direction before the trust ratio (<c>u = adam + wd*p</c>, Optax
    /// <c>add_decayed_weights</c>, the paper's lambda). With wd = 0 the term is left out, not multiplied by 0. Default 0 (Optax).
    /// </summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>Divide the moments by 1-b^t (the paper's Algorithm 2, Optax, apex and timm by default). Default true.</summary>
    public bool BiasCorrection { get; init; } = true;

    /// <summary>Clamp the trust ratio at 1 (timm <c>trust_clip</c>, the "LAMBC" variant): the step never exceeds the Adam step. Default false.</summary>
    public bool TrustClip { get; init; }

    /// <summary>"lamb".</summary>
    public string Name => "lamb";

    /// <summary>"m" (first moment, torch <c>exp_avg</c>, Optax <c>mu</c>) and "v" (second moment, <c>exp_avg_sq</c>, <c>nu</c>).</summary>
    public IReadOnlyList<string> SlotNames => ["m", "v"];

    /// <summary>Every option is checked when it is set; no combination is excluded.</summary>
    public void Validate() { }
}
