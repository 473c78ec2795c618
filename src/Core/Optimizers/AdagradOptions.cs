namespace NetNumerics.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan, Singer 2011). <c>clr = lr/(1 + (t-1)*LrDecay)</c>; <c>acc = acc + g*g</c>;
/// Keras (default): <c>p = p - clr * g/sqrt(acc + eps)</c>, accumulator starts at 0.1, eps 1e-7
/// (keras/src/optimizers/adagrad.py). PyTorch: <c>p = p - clr * g/(sqrt(acc) + eps)</c>, accumulator 0,
/// eps 1e-10, lr 1e-2 (torch/optim/adagrad.py). Keras default lr 1e-3.
/// </summary>
public sealed partial record AdagradOptions : IOptimizerOptions
{
    public const double KerasDefaultLearningRate = 1e-3;

    /// <summary>Starting value of every accumulator element, &gt;= 0. Keras 0.1 (default), PyTorch 0.</summary>
    public double InitialAccumulatorValue { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialAccumulatorValue)); } = 0.1;

    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;

    public EpsilonPlacement EpsilonPlacement { get; init => field = OptionChecks.Defined(value, nameof(EpsilonPlacement)); } = EpsilonPlacement.InsideSqrt;

    /// <summary>PyTorch's built-in inverse-time decay, <c>lr/(1+(t-1)*LrDecay)</c>, &gt;= 0. Default 0.</summary>
    public double LrDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(LrDecay)); }

    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    public WeightDecayMode WeightDecayMode { get; init => field = OptionChecks.Defined(value, nameof(WeightDecayMode)); } = WeightDecayMode.L2;

    public string Name => "adagrad";
    public IReadOnlyList<string> SlotNames => ["accumulator"];
    public void Validate() => ValidateOrder();
}
