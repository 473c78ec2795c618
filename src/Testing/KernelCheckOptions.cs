using System.Numerics;
using FsCheck;

namespace NetNumerics.Testing;

/// <summary>What <see cref="KernelCheck"/> generates and how strictly it compares. Every property has a default.</summary>
public sealed record KernelCheckOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Element values. Default: <see cref="FloatGen.AnyClass{T}"/> (every class, the full range, NaN payloads) for
    /// elementwise, stateful and optimizer checks; reductions default to <see cref="FloatGen.Moderate{T}"/> instead (no overflow, so the bound is finite).
    /// </summary>
    public Gen<T>? Values { get; init; }

    /// <summary>Buffer lengths. Default: <see cref="SpanGen.Length"/> (every length 0..199 and some up to 20000).</summary>
    public Gen<int> Lengths { get; init; } = SpanGen.Length;

    /// <summary>Number of generated cases (each run at every width). Default 100.</summary>
    public int MaxTest { get; init; } = 100;

    /// <summary>Steps of a stateful or optimizer check (compared after each, then re-synced). Default 7, as PyTorch's optimizer tests.</summary>
    public int Steps { get; init; } = 7;

    /// <summary>Allowed ULP distance for elementwise, stateful and optimizer checks. Default 0: bits must match.</summary>
    public ulong MaxUlps { get; init; }

    /// <summary>
    /// NaN rule of the comparison. Default <see cref="NanPolicy.AnyNanEqual"/>: NaN must appear exactly where the reference
    /// has NaN, but which payload comes out when two NaNs meet is unspecified (see <see cref="NanPolicy"/>). Set
    /// <see cref="NanPolicy.PayloadExact"/> for kernels where one NaN at most reaches each operation.
    /// </summary>
    public NanPolicy Nan { get; init; } = NanPolicy.AnyNanEqual;

    /// <summary>Signed-zero rule when <see cref="MaxUlps"/> &gt; 0 (with 0, zeros must match in sign). Default <see cref="SignedZeroPolicy.Equal"/>.</summary>
    public SignedZeroPolicy Zero { get; init; } = SignedZeroPolicy.Equal;

    /// <summary>Widths the kernel is run at, each under <see cref="SimdWidth.Limit"/>. Default: <see cref="SimdWidth.Available"/> (512, 256, 128, scalar where accelerated).</summary>
    public IReadOnlyList<VectorWidth> Widths { get; init; } = SimdWidth.Available;

    /// <summary>Learning rates of an optimizer check, one per step. Default <see cref="HyperGen.LearningRate"/>.</summary>
    public Gen<double> LearningRates { get; init; } = HyperGen.LearningRate;
}
