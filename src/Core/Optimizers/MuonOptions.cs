namespace NetNumerics.Optimizers;

/// <summary>How Muon scales the learning rate by the matrix's shape (torch 2.9 <c>adjust_lr_fn</c>).</summary>
public enum MuonLrAdjustment
{
    /// <summary>Keller Jordan's: <c>lr * sqrt(max(1, rows/cols))</c> (torch's default, <c>"original"</c> or None).</summary>
    Original,
    /// <summary>Moonshot's (Liu et al. 2025, arXiv:2502.16982): <c>lr * 0.2 * sqrt(max(rows, cols))</c>, to reuse AdamW's rate and decay.</summary>
    MatchRmsAdamW,
}

/// <summary>
/// Muon, "MomentUm Orthogonalized by Newton-Schulz" (Jordan et al. 2024, https://kellerjordan.github.io/posts/muon/), as
/// torch 2.9 defines it (<c>torch.optim.Muon</c>, <c>torch/optim/_muon.py</c>): for a matrix parameter,
/// <code>
/// B = lerp(B, g, 1 - mu);  U = nesterov ? lerp(g, B, mu) : B
/// X = U / max(||U||_F, eps)   (transposed first when rows &gt; cols, so X X^T is the smaller Gram matrix)
/// 5 times: A = X X^T;  X = a*X + (b*A + c*A A) X          (a, b, c) = (3.4445, -4.7750, 2.0315)
/// p = p * (1 - lr*wd);  p = p - lr * adjust(rows, cols) * X
/// </code>
/// The quintic pushes every singular value of X towards about 1 (not exactly: roughly into [0.7, 1.2] for a full-rank
/// input), an approximate U V^T of the SVD U S V^T. Only tensors of rank 2 (a dense weight [rows, cols]) or 4 (a
/// convolution kernel [out, in, kh, kw], taken as the matrix [out, in*kh*kw], the row-major layout it already has, as in
/// Keller Jordan's reference code) are Muon's; biases and every other tensor go to AdamW (<see cref="Fallback"/>, routed by a
/// parameter grouping: <c>train --optimizer muon</c> builds it). torch runs the iteration in bfloat16; here it runs in the
/// parameter's type (float or double) with the library's GEMM on the Fast path.
/// </summary>
public sealed record MuonOptions : IOptimizerOptions
{
    /// <summary>torch's default learning rate.</summary>
    public const double TorchDefaultLearningRate = 1e-3;

    /// <summary>The momentum mu in [0, 1). Default 0.95.</summary>
    public double Momentum { get; init => field = Guard.UnitInterval(value, nameof(Momentum)); } = 0.95;

    /// <summary>Nesterov momentum: orthogonalize <c>lerp(g, B, mu)</c> instead of B. Default true.</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>Decoupled weight decay, <c>p = p*(1 - lr*wd)</c> before the step (torch applies it to every Muon tensor). Default 0.1 (torch's).</summary>
    public double WeightDecay { get; init => field = Guard.NonNegativeFinite(value, nameof(WeightDecay)); } = 0.1;

    /// <summary>The quintic's coefficient a. Default 3.4445.</summary>
    public double A { get; init => field = Finite(value, nameof(A)); } = 3.4445;
    /// <summary>The quintic's coefficient b. Default -4.7750.</summary>
    public double B { get; init => field = Finite(value, nameof(B)); } = -4.7750;
    /// <summary>The quintic's coefficient c. Default 2.0315.</summary>
    public double C { get; init => field = Finite(value, nameof(C)); } = 2.0315;

    /// <summary>Newton-Schulz iterations, 0 to 99 (torch refuses 100 or more). Default 5.</summary>
    public int NsSteps
    {
        get;
        init => field = value is >= 0 and < 100 ? value : throw new ArgumentOutOfRangeException(nameof(NsSteps), value, $"NsSteps must be in [0, 99], but was {value}.");
    } = 5;

    /// <summary>The floor of the Frobenius norm the update is divided by, finite and &gt; 0. Default 1e-7.</summary>
    public double Epsilon { get; init => field = Guard.PositiveFinite(value, nameof(Epsilon)); } = 1e-7;

    /// <summary>The shape scaling of the learning rate; default <see cref="MuonLrAdjustment.Original"/> (torch's).</summary>
    public MuonLrAdjustment LrAdjustment { get; init => field = OptionChecks.Defined(value, nameof(LrAdjustment)); }

    /// <summary>
    /// The optimizer of the tensors Muon does not take (rank other than 2 and 4: biases, norms), in a parameter grouping
    /// (<c>MuonGrouping</c> in NetNumerics.Training). Default torch's AdamW (<see cref="AdamWOptions.PyTorch"/>: betas 0.9,
    /// 0.999, eps 1e-8, weight decay 0.01).
    /// </summary>
    public AdamWOptions Fallback { get; init => field = value ?? throw new ArgumentNullException(nameof(Fallback)); } = AdamWOptions.PyTorch;

    /// <summary>The fallback's learning rate as a multiple of the run's (finite, &gt;= 0). Default 1.</summary>
    public double FallbackLrScale { get; init => field = Guard.NonNegativeFinite(value, nameof(FallbackLrScale)); } = 1.0;

    /// <summary>"muon".</summary>
    public string Name => "muon";

    /// <summary>"momentum_buffer" (torch's name): B.</summary>
    public IReadOnlyList<string> SlotNames => ["momentum_buffer"];

    /// <summary>Every option is checked when it is set; no combination is excluded.</summary>
    public void Validate() { }

    static double Finite(double v, string name) =>
        double.IsFinite(v) ? v : throw new ArgumentOutOfRangeException(name, v, $"{name} must be a finite number, but was {v}.");

    /// <summary>Whether Muon takes a tensor of this shape: rank 2, or rank 4 (a convolution kernel).</summary>
    public static bool Takes(ReadOnlySpan<int> shape) => shape.Length is 2 or 4;

    /// <summary>The matrix Muon sees: [rows, cols] for rank 2, [out, in*kh*kw] for rank 4; throws for any other rank.</summary>
    public static (int Rows, int Cols) MatrixOf(ReadOnlySpan<int> shape)
    {
        int n = ShapeChecks.Product(shape, nameof(shape));
        if (!Takes(shape))
            throw new ArgumentException(
                $"muon updates matrices (rank 2) and convolution kernels (rank 4, as [out, in*kh*kw]); shape {ShapeChecks.Show(shape)} has rank {shape.Length}: route it to another optimizer (train --optimizer muon sends it to AdamW).",
                nameof(shape));
        return shape[0] == 0 ? (0, 0) : (shape[0], n / shape[0]);
    }

    /// <summary>The learning-rate factor of <see cref="LrAdjustment"/> for a [rows, cols] matrix, in double as torch's Python floats.</summary>
    public double LrFactor(int rows, int cols) => LrAdjustment == MuonLrAdjustment.Original
        ? Math.Sqrt(Math.Max(1, (double)rows / cols))
        : 0.2 * Math.Sqrt(Math.Max(rows, cols));
}
