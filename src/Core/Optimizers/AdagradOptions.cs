namespace NetNumerics.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan, Singer 2011). <c>clr = lr/(1 + (t-1)*LrDecay)</c>; <c>acc = acc + g*g</c>;
/// Keras (default): <c>p = p - clr * g/sqrt(acc + eps)</c>, accumulator starts at 0.1, eps 1e-7
/// (keras/src/optimizers/adagrad.py). PyTorch: <c>p = p - clr * g/(sqrt(acc) + eps)</c>, accumulator 0,
/// eps 1e-10, lr 1e-2 (torch/optim/adagrad.py). Keras default lr 1e-3.
/// </summary>
public sealed record AdagradOptions : IOptimizerOptions
{
    /// <summary>Keras' default learning rate, 1e-3 (PyTorch: 1e-2). The rate is passed to every update, not set here.</summary>
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Starting value of every accumulator element, &gt;= 0. Keras 0.1 (default), PyTorch 0.</summary>
    public double InitialAccumulatorValue { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialAccumulatorValue)); } = 0.1;

    /// <summary>Numerical-stability term, &gt; 0; where it goes is <see cref="EpsilonPlacement"/>. Keras <c>epsilon</c> 1e-7 (default); PyTorch <c>eps</c> 1e-10.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;

    /// <see cref="EpsilonPlacement.InsideSqrt"/> (Keras, default): <c>g/sqrt(acc + eps)</c>; <see cref="EpsilonPlacement.OutsideSqrt"/> (PyTorch): <c>g/(sqrt(acc) + eps)</c>.
    public EpsilonPlacement EpsilonPlacement { get; init => field = OptionChecks.Defined(value, nameof(EpsilonPlacement)); } = EpsilonPlacement.InsideSqrt;

    /// <summary>PyTorch's built-in inverse-time decay, <c>lr/(1+(t-1)*LrDecay)</c>, &gt;= 0. Default 0.</summary>
    public double LrDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(LrDecay)); }

    /// <summary>Weight decay coefficient wd, finite and &gt;= 0; 0 (default) is off. PyTorch <c>weight_decay</c> (L2).</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>How <see cref="WeightDecay"/> enters: L2 (default, PyTorch) or decoupled (Keras 3). The decoupled term uses the decayed rate clr.</summary>
    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    /// <inheritdoc />
    public string Name => "adagrad";
    /// <summary>"accumulator": the running sum of g^2 (PyTorch state <c>sum</c>, Keras <c>accumulators</c>), starting at <see cref="InitialAccumulatorValue"/>.</summary>
    public IReadOnlyList<string> SlotNames => ["accumulator"];
    /// <summary>Every Adagrad option is checked when it is set and no combination is invalid, so this does nothing.</summary>
    public void Validate() { }
}
