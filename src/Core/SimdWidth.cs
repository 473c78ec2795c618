using System.Runtime.Intrinsics;

namespace NetNumerics;

/// <summary>A SIMD vector width: one of the widths the vectorized kernels can run at.</summary>
public enum VectorWidth
{
    /// <summary>No vectors: one scalar lane at a time (the kernels' tail path).</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (<see cref="Vector128{T}"/>).</summary>
    Bits128 = 128,

    /// <summary>256-bit vectors (<see cref="Vector256{T}"/>).</summary>
    Bits256 = 256,

    /// <summary>512-bit vectors (<see cref="Vector512{T}"/>).</summary>
    Bits512 = 512,
}

/// <summary>
/// The widest SIMD width the library's width-generic kernels (the Fast optimizers, gradient clipping and the Fast
/// schedules' range fill) may use, and a scoped cap on it. By default the kernels run at the widest width the
/// hardware accelerates; <see cref="Limit"/> caps it, so a test can run the same kernel at 512, 256, 128 bits
/// and on scalar lanes and check that every path gives the same bits. Your own kernels can consult
/// <see cref="Current"/> in the same way.
/// </summary>
/// <remarks>
/// <para>The cap is held in an <see cref="AsyncLocal{T}"/>: it applies to the code that opened the scope and to the
/// tasks and awaits that flow from it, and never to other threads or concurrent tests, so scopes are thread-safe.
/// Threads created before the scope (such as a worker pool's) do not see it.</para>
/// <para>Cost: when no scope is open anywhere in the process, <see cref="Current"/> is one static read and a
/// comparison; inside a scope it is one <see cref="AsyncLocal{T}"/> read. Kernels read it once per call, never per
/// element.</para>
/// <para>The GEMM and the CNN layers use their own fixed widths and are not capped: their results are compared
/// within derived error bounds, not bit for bit.</para>
/// </remarks>
public static class SimdWidth
{
    static readonly AsyncLocal<int> CapSlot = new();   // 0 = no cap in this flow, else the cap + 1 (so 0 stays "unset")
    static int openScopes;

    /// <summary>The widest width this machine accelerates (<see cref="VectorWidth.Scalar"/> if none).</summary>
    public static VectorWidth Hardware { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Bits128
        : VectorWidth.Scalar;

    /// <summary>The cap in force for the calling flow: <see cref="VectorWidth.Bits512"/> when no scope is open.</summary>
    public static VectorWidth Cap
    {
        get
        {
            if (Volatile.Read(ref openScopes) == 0) return VectorWidth.Bits512;
            int slot = CapSlot.Value;
            return slot == 0 ? VectorWidth.Bits512 : (VectorWidth)(slot - 1);
        }
    }

    /// <summary>
    /// The width a kernel should run at now: the widest accelerated width not above <see cref="Cap"/>
    /// (a cap of 512 on a machine with only AVX2 gives 256; a cap of 128 without any acceleration gives Scalar).
    /// </summary>
    public static VectorWidth Current
    {
        get
        {
            VectorWidth cap = Cap;
            if (cap >= VectorWidth.Bits512 && Vector512.IsHardwareAccelerated) return VectorWidth.Bits512;
            if (cap >= VectorWidth.Bits256 && Vector256.IsHardwareAccelerated) return VectorWidth.Bits256;
            if (cap >= VectorWidth.Bits128 && Vector128.IsHardwareAccelerated) return VectorWidth.Bits128;
            return VectorWidth.Scalar;
        }
    }

    /// <summary>Every width a kernel can be run at on this machine, widest first, ending with <see cref="VectorWidth.Scalar"/>.</summary>
    public static IReadOnlyList<VectorWidth> Available { get; } =
        new[] { VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128, VectorWidth.Scalar }
            .Where(w => w <= Hardware).ToArray();

    /// <summary>
    /// Caps the width for the calling flow until the returned scope is disposed (<c>using var _ = SimdWidth.Limit(VectorWidth.Bits128);</c>).
    /// Scopes nest; disposing one restores the cap that was in force when it was opened.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not a defined <see cref="VectorWidth"/>.</exception>
    public static Scope Limit(VectorWidth width)
    {
        if (!Enum.IsDefined(width))
            throw new ArgumentOutOfRangeException(nameof(width), width,
                $"width must be one of [{string.Join(", ", Enum.GetNames<VectorWidth>())}], but was {(int)width}.");
        int previous = CapSlot.Value;
        Interlocked.Increment(ref openScopes);
        CapSlot.Value = (int)width + 1;
        return new Scope(previous);
    }

    /// <summary>An open cap; <see cref="Dispose"/> restores the previous one. Dispose it once, in the flow that opened it.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly int _previous;
        readonly bool _open;

        internal Scope(int previous) { _previous = previous; _open = true; }

        /// <summary>Restores the cap that was in force when this scope was opened.</summary>
        public void Dispose()
        {
            if (!_open) return;
            CapSlot.Value = _previous;
            Interlocked.Decrement(ref openScopes);
        }
    }
}
