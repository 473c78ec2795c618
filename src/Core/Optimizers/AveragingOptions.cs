namespace NetNumerics.Optimizers;

/// <summary>How <see cref="AveragingOptions"/> averages the weights.</summary>
public enum WeightAveraging
{
    /// <summary>Exponential moving average, Keras <c>use_ema</c>: <c>a = p</c> after the first update, then <c>a = m*a + (1-m)*p</c>.</summary>
    Ema,
    /// <summary>Stochastic weight averaging, torch <c>swa_utils.AveragedModel</c>'s default: <c>a = p</c> at the first averaged update, then <c>a = a + (p - a)/(n + 1)</c>.</summary>
    Swa,
}

/// <summary>
/// An average of the weights kept beside a base optimizer, in the optimizer state (slot "average", then the base's
/// slots), so checkpoints carry it and a resumed run continues it bit for bit; the trainer evaluates (validation, test)
/// with the average (<see cref="IEvaluationWeights"/>) and trains with the weights themselves.
/// <para>EMA, as Keras 3 <c>use_ema=True</c> (<c>ema_momentum</c> 0.99): after each update t, <c>a = p</c> at t = 1, else
/// <c>a = m*a + (1-m)*p</c>. SWA, as torch <c>AveragedModel.update_parameters</c> with the default average: at the updates
/// t = Start, Start + Every, ... the n-th average (n = 0, 1, ...) is <c>a = p</c> for n = 0, else
/// <c>a = a + (p - a)/(n + 1)</c>, so a is the plain mean of the averaged weights (torch calls it once per epoch after
/// <c>swa_start</c>: Every = the updates of an epoch).</para>
/// </summary>
public sealed record AveragingOptions : IOptimizerOptions
{
    /// <summary>The optimizer that updates the weights. Default Adam.</summary>
    public IOptimizerOptions Base
    {
        get;
        init => field = WrappedBase.Check(value, "weight averaging (ema, swa)", evaluatesElsewhere: true, nameof(Base));
    } = new AdamOptions();

    /// <summary>EMA (default) or SWA.</summary>
    public WeightAveraging Mode { get; init => field = OptionChecks.Defined(value, nameof(Mode)); } = WeightAveraging.Ema;

    /// <summary>EMA's momentum m in [0, 1) (Keras <c>ema_momentum</c>). Default 0.99.</summary>
    public double Momentum { get; init => field = Guard.UnitInterval(value, nameof(Momentum)); } = 0.99;

    /// <summary>SWA: the first averaged update (1-based, &gt;= 1). Default 1.</summary>
    public long SwaStart { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SwaStart), value, $"SwaStart must be >= 1 (a 1-based update), but was {value}."); } = 1;

    /// <summary>SWA: updates between averages (&gt;= 1). Default 1.</summary>
    public long SwaEvery { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SwaEvery), value, $"SwaEvery must be >= 1, but was {value}."); } = 1;

    /// <summary>"ema-" or "swa-" and the base's name, e.g. "ema-adam".</summary>
    public string Name => (Mode == WeightAveraging.Ema ? "ema-" : "swa-") + Base.Name;

    /// <summary>"average", then the base's slots.</summary>
    public IReadOnlyList<string> SlotNames => ["average", .. Base.SlotNames];

    /// <summary>The base's own checks (a base with scalars, or one that keeps evaluation weights, is refused when it is set).</summary>
    public void Validate() => Base.Validate();

    /// <summary>SWA: how many averages the updates 1..<paramref name="step"/> have taken (0 before <see cref="SwaStart"/>).</summary>
    public long SwaCount(long step) => step < SwaStart ? 0 : (step - SwaStart) / SwaEvery + 1;
}
