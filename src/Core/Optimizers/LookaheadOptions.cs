namespace NetNumerics.Optimizers;

/// <summary>
/// Lookahead (Zhang, Lucas, Hinton and Ba 2019, <i>Lookahead Optimizer: k steps forward, 1 step back</i>,
/// arXiv:1907.08610, Algorithm 1) over a base optimizer: the base updates the ("fast") weights p; every k updates the slow
/// weights move toward them and the fast weights restart from there:
/// <code>
/// t = 1:           slow = p                        (phi_0 = theta_0, before the first base step)
/// every update:    p = base(p, g, lr)
/// t % k == 0:      slow = slow + alpha * (p - slow);   p = slow
/// </code>
/// The base's own state (moments) is kept across the synchronisations (the "maintain" choice of the paper's appendix, as
/// common implementations do). State: slot "slow", then the base's slots.
/// </summary>
public sealed record LookaheadOptions : IOptimizerOptions
{
    /// <summary>The inner optimizer. Default Adam.</summary>
    public IOptimizerOptions Base
    {
        get;
        init => field = WrappedBase.Check(value, "Lookahead", evaluatesElsewhere: false, nameof(Base)) is LookaheadOptions or AveragingOptions
            ? throw new ArgumentException($"Lookahead cannot wrap {value.Name}: wrap a plain optimizer (Lookahead and weight averaging go outside, as --lookahead and --ema do).", nameof(Base))
            : value;
    } = new AdamOptions();

    /// <summary>k &gt;= 1: base updates between synchronisations. Default 5 (the paper's).</summary>
    public int K { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(K), value, $"K must be >= 1 (updates between synchronisations), but was {value}."); } = 5;

    /// <summary>alpha in [0, 1]: the slow weights' step toward the fast ones. Default 0.5 (the paper's).</summary>
    public double Alpha
    {
        get;
        init => field = double.IsFinite(value) && value >= 0 && value <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Alpha), value, $"Alpha must be in [0, 1], but was {value}.");
    } = 0.5;

    /// <summary>"lookahead-" and the base's name, e.g. "lookahead-adam".</summary>
    public string Name => "lookahead-" + Base.Name;

    /// <summary>"slow", then the base's slots.</summary>
    public IReadOnlyList<string> SlotNames => ["slow", .. Base.SlotNames];

    /// <summary>The base's own checks (a base with scalars is refused when it is set).</summary>
    public void Validate() => Base.Validate();
}
