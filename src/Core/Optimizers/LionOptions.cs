namespace NetNumerics.Optimizers;

/// <summary>
/// Lion, "EvoLved Sign Momentum" (Chen et al. 2023, <i>Symbolic Discovery of Optimization Algorithms</i>,
/// arXiv:2302.06675, Algorithm 2): <c>c = b1*m + (1-b1)*g; p = p - lr*(sign(c) + wd*p); m = b2*m + (1-b2)*g</c>.
/// Every element moves by exactly lr (or 0 where c is 0), whatever the gradient's size; only one slot ("m").
/// Defaults as Keras 3 <c>keras.optimizers.Lion</c> and Optax <c>optax.lion</c>: b1 0.9, b2 0.99, lr 1e-3 (Keras);
/// the paper suggests an lr 3-10x smaller than AdamW's and a weight decay 3-10x larger. PyTorch core has no Lion.
/// </summary>
public sealed record LionOptions : IOptimizerOptions
{
    /// <summary>Keras 3's default learning rate (the paper: 3-10x smaller than AdamW's).</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>b1 in [0, 1): the weight of the old momentum in the interpolation whose sign is the update. Default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.UnitInterval(value, nameof(Beta1)); } = 0.9;

    /// <summary>b2 in [0, 1): the decay of the momentum that is carried to the next step. Default 0.99.</summary>
    public double Beta2 { get; init => field = Guard.UnitInterval(value, nameof(Beta2)); } = 0.99;

    /// <summary>
    /// Decoupled weight decay wd &gt;= 0, inside the step as the paper writes it: <c>p = p - lr*(sign(c) + wd*p)</c>
    /// (Optax <c>weight_decay</c>; Keras applies <c>p = p - lr*wd*p</c> first, equal in exact arithmetic). Default 0.
    /// </summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>"lion".</summary>
    public string Name => "lion";

    /// <summary>"m": the momentum (an exponential moving average of the gradients with rate b2).</summary>
    public IReadOnlyList<string> SlotNames => ["m"];

    /// <summary>Every option is checked when it is set; no combination is excluded.</summary>
    public void Validate() { }
}
