namespace NetNumerics.Optimizers;

/// <summary>
/// Adafactor (Shazeer &amp; Stern 2018, <i>Adafactor: Adaptive Learning Rates with Sublinear Memory Cost</i>,
/// arXiv:1804.04235) as PyTorch 2.5+ defines it (<c>torch.optim.Adafactor</c>, <c>torch/optim/_adafactor.py</c>,
/// single-tensor path). For a tensor of rank &gt;= 2 the second moment of the last two dimensions [rows, cols] is kept
/// factored, one row vector and one column vector per leading index (<c>row_var</c>: prod(shape[..^1]) elements,
/// <c>col_var</c>: prod(shape[..^2]) * cols); a tensor of rank 0 or 1 keeps the full second moment (<c>variance</c>).
/// With t the step:
/// <code>
/// beta2hat = 1 - t^beta2_decay;  rho = min(lr, 1/sqrt(t));  alpha = max(eps2, RMS(p)) * rho
/// p = p * (1 - lr*wd)                                                  (when wd != 0; decoupled, torch's use of lr)
/// R = lerp(R, mean_j(g^2), 1 - beta2hat);  C = lerp(C, mean_i(g^2), 1 - beta2hat)   (rank &gt;= 2)
/// V = R_i * C_j / max(mean_i(R), eps1)                                 (rank &gt;= 2; else V = lerp(V, g^2, 1 - beta2hat))
/// U = g / sqrt(max(V, eps1^2));  p = p - alpha / max(1, RMS(U)/d) * U
/// </code>
/// <para>Where the others differ: the paper adds eps1 = 1e-30 to g^2 before the factors (torch floors the estimate
/// instead), uses a constant 0.01 as the largest relative step (torch: <c>lr</c>) and sums where torch averages (the same
/// estimate). Optax (<c>optax.adafactor</c>) adds eps1 to g^2 as the paper does, factors the two largest dimensions and only
/// when both are at least <c>min_dim_size_to_factor</c> (128), and offers first-moment momentum. Keras 3
/// (<c>keras.optimizers.Adafactor</c>, learning_rate 1e-3, epsilon_1 1e-30) adds epsilon_1 to g^2 too and factors the last two
/// dimensions as torch does. torch's <c>foreach</c> path regroups the same operations; this follows the single-tensor path.
/// Reductions (the row and column means, RMS(p), RMS(U) and the row factor's mean) accumulate in double in index order
/// (torch: in T with its own summation order), then round to T; the twins share that order, so they agree bit for bit.</para>
/// </summary>
public sealed record AdafactorOptions : IOptimizerOptions
{
    /// <summary>torch's default learning rate, the largest relative step rho (the paper's constant 0.01).</summary>
    public const double TorchDefaultLearningRate = 1e-2;

    /// <summary>
    /// The decay rate of beta2 (torch <c>beta2_decay</c>, the paper's -c in beta2hat_t = 1 - t^-c), &lt;= 0 and finite: the
    /// weight of the new squared gradient at step t is t^beta2_decay (1 at the first step). Default -0.8.
    /// </summary>
    public double Beta2Decay
    {
        get;
        init => field = double.IsFinite(value) && value <= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Beta2Decay), value, $"Beta2Decay must be a finite number <= 0, but was {value}.");
    } = -0.8;

    /// <summary>
    /// eps1, the floor of the variance estimate (squared) and of the row factor's mean (torch <c>eps[0]</c>), finite and
    /// &gt;= 0; null (the default) is the machine epsilon of the element type, as torch's None (2^-23 for float, 2^-52 for double).
    /// </summary>
    public double? Epsilon1 { get; init => field = value is { } v ? Guard.NonNegativeFinite(v, nameof(Epsilon1)) : null; }

    /// <summary>eps2, the smallest parameter scale in the relative step <c>max(eps2, RMS(p))</c> (torch <c>eps[1]</c>), finite and &gt;= 0. Default 1e-3.</summary>
    public double Epsilon2 { get; init => field = Guard.NonNegativeFinite(value, nameof(Epsilon2)); } = 1e-3;

    /// <summary>d, the update clipping threshold: the update is divided by max(1, RMS(U)/d). Finite and &gt;= 1. Default 1.</summary>
    public double ClipThreshold
    {
        get;
        init => field = double.IsFinite(value) && value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ClipThreshold), value, $"ClipThreshold (d) must be a finite number >= 1, but was {value}.");
    } = 1.0;

    /// <summary>Decoupled weight decay wd &gt;= 0 as torch applies it, <c>p = p*(1 - lr*wd)</c> before the update. Default 0.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); }

    /// <summary>Ascend instead of descend (the gradient's sign flipped first, torch <c>maximize</c>). Default false.</summary>
    public bool Maximize { get; init; }

    /// <summary>"adafactor".</summary>
    public string Name => "adafactor";

    /// <summary>
    /// "row_var", "col_var" (torch's names; the factors of a rank &gt;= 2 tensor, empty otherwise) and "variance" (the full
    /// second moment of a rank 0 or 1 tensor, empty otherwise).
    /// </summary>
    public IReadOnlyList<string> SlotNames => ["row_var", "col_var", "variance"];

    /// <summary>Every option is checked when it is set; no combination is excluded.</summary>
    public void Validate() { }

    /// <summary>
    /// The slot lengths for a tensor of <paramref name="shape"/>: [prod(shape[..^1]), prod(shape[..^2]) * cols, 0] for rank
    /// &gt;= 2 (torch's row_var [..., rows, 1] and col_var [..., 1, cols]), [0, 0, n] for rank 0 or 1.
    /// </summary>
    internal static int[] SlotLengthsFor(ReadOnlySpan<int> shape)
    {
        int n = ShapeChecks.Product(shape, nameof(shape));
        if (shape.Length < 2) return [0, 0, n];
        int rows = ShapeChecks.Product(shape[..^1], nameof(shape)), lead = ShapeChecks.Product(shape[..^2], nameof(shape));
        return [rows, checked(lead * shape[^1]), 0];
    }

    /// <summary>eps1 as T: the option, or T's machine epsilon (2^-23 for float, 2^-52 for double) when it is null.</summary>
    internal T Eps1<T>() where T : System.Numerics.IFloatingPointIeee754<T> =>
        Epsilon1 is { } e ? T.CreateTruncating(e) : T.BitIncrement(T.One) - T.One;
}
