using System.Runtime.CompilerServices;
using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using System.Runtime.Intrinsics;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Nn.Layers;

/// <summary>ReLU with the Reference's exact rule: y = x &gt; 0 ? x : +0, dx = x &gt; 0 ? dy : +0 (one vector select per lane, any width).</summary>
internal sealed unsafe class FastRelu(TensorShape input, int index) : FastLayer(input, input, index)
{
    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s) => Select(x, x, y, n * Input.Length);

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx != null) Select(x, dy, dx, n * Input.Length);
    }

    /// <summary>dst = test &gt; 0 ? value : +0.</summary>
    internal static void Select(float* test, float* value, float* dst, int count)
    {
        var k = new PositiveSelect(test, value, dst);
        KernelDriver.RunHere<float, PositiveSelect>(ref k, count);
    }

    readonly struct PositiveSelect(float* test, float* value, float* dst) : IKernel<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(nint i) where TV : struct, IVec<TV, float> =>
            TV.SelectGreater(TV.Load(test + i), TV.Create(0f), TV.Load(value + i), TV.Create(0f)).Store(dst + i);
    }
}

/// <summary>Flatten from NHWC to the spec's NCHW feature order: y[c*H*W + h*W + w] = x[(h*W + w)*C + c] (a copy per element:
/// exact; per sample a C x HW transpose, read in rows, written with stride HW).</summary>
internal sealed unsafe class FastFlatten(TensorShape input, int index) : FastLayer(input, new TensorShape(input.Length, 1, 1), index)
{
    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s) => Transpose(x, y, n, Input.Height * Input.Width, Input.Channels);

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx != null) Transpose(dy, dx, n, Input.Channels, Input.Height * Input.Width);
    }

    /// <summary>Each sample's rows x cols matrix (row-major) to its cols x rows transpose.</summary>
    static void Transpose(float* src, float* dst, int n, int rows, int cols)
    {
        int len = rows * cols;
        for (int sm = 0; sm < n; sm++, src += len, dst += len)
            for (int r = 0; r < rows; r++)
            {
                float* from = src + r * cols, to = dst + r;
                for (int c = 0; c < cols; c++, to += rows) *to = from[c];
            }
    }
}

/// <summary>
/// Inverted dropout with the Reference's mask (<see cref="DropoutMask"/>): the element's NCHW index is recovered from its
/// NHWC position, the sample index is its position in the whole batch (chunk start + position in chunk), so the mask
/// does not depend on chunking or threads. y = keep ? x * scale : +0. Channels go 16 (Vector512) or 8 (Vector256) at a time:
/// SplitMix64 on ulong lanes and an integer threshold test equal to the float one.
/// </summary>
internal sealed unsafe class FastDropout(DropoutSpec spec, TensorShape input, int index) : FastLayer(input, input, index)
{
    public override int StateFloats => Input.Length;   // the mask

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        long count = (long)n * Input.Length;
        if (!ctx.Training) { new ReadOnlySpan<float>(x, (int)count).CopyTo(new Span<float>(y, (int)count)); return; }
        float scale = DropoutMask.Scale(spec.Rate);
        float* mask = s.State;
        ulong key = DropoutMask.Key(ctx.Seed, DropoutMask.Stream(ctx.Step, Index));
        // KeepWithKey is (Mix(key + i) >> 40) * 2^-24 >= rate; the product is exact, so keep <=> (Mix >> 40) >= ceil(rate 2^24).
        uint threshold = (uint)Math.Ceiling(spec.Rate * (1 << 24));
        int c = Input.Channels, hw = Input.Height * Input.Width, len = Input.Length;
        // Lane l of a 16- (8-) channel block holds channel ch + l, whose NCHW index is sampleBase + (ch + l) hw + p.
        var lane512 = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * (ulong)hw; var lane256 = Vector256.Create(0UL, 1, 2, 3) * (ulong)hw;
        for (int sm = 0; sm < n; sm++)
        {
            long sampleBase = (long)(ctx.BatchStart + sm) * len;
            for (int p = 0; p < hw; p++)
            {
                long at = (long)sm * len + (long)p * c;
                int ch = 0;
                if (Vector512.IsHardwareAccelerated)
                    for (; ch + 16 <= c; ch += 16)
                    {
                        var first = Vector512.Create(key + (ulong)(sampleBase + (long)ch * hw + p)) + lane512;
                        var bits = Vector512.Narrow(Vector512.ShiftRightLogical(MixTop(first), 40), Vector512.ShiftRightLogical(MixTop(first + Vector512.Create(8UL * (ulong)hw)), 40));
                        var keep = Vector512.GreaterThanOrEqual(bits, Vector512.Create(threshold)).AsSingle();
                        Vector512.ConditionalSelect(keep, Vector512.Create(scale), Vector512<float>.Zero).Store(mask + at + ch);
                        Vector512.ConditionalSelect(keep, Vector512.Load(x + at + ch) * scale, Vector512<float>.Zero).Store(y + at + ch);
                    }
                else if (Vector256.IsHardwareAccelerated)
                    for (; ch + 8 <= c; ch += 8)
                    {
                        var first = Vector256.Create(key + (ulong)(sampleBase + (long)ch * hw + p)) + lane256;
                        var bits = Vector256.Narrow(Vector256.ShiftRightLogical(MixTop(first), 40), Vector256.ShiftRightLogical(MixTop(first + Vector256.Create(4UL * (ulong)hw)), 40));
                        var keep = Vector256.GreaterThanOrEqual(bits, Vector256.Create(threshold)).AsSingle();
                        Vector256.ConditionalSelect(keep, Vector256.Create(scale), Vector256<float>.Zero).Store(mask + at + ch);
                        Vector256.ConditionalSelect(keep, Vector256.Load(x + at + ch) * scale, Vector256<float>.Zero).Store(y + at + ch);
                    }
                for (; ch < c; ch++)
                {
                    bool keep = DropoutMask.KeepWithKey(key, sampleBase + (long)ch * hw + p, spec.Rate);
                    mask[at + ch] = keep ? scale : 0f;
                    y[at + ch] = keep ? x[at + ch] * scale : 0f;
                }
            }
        }
    }

    /// <summary><see cref="CounterRng.Mix"/> on 8 lanes without its last step (SplitMix64's finaliser: add, xor-shift-multiply
    /// twice, then z ^ (z &gt;&gt; 31)). The mask reads only bits 40-63, and z ^ (z &gt;&gt; 31) changes bit k only through
    /// bit k + 31, which exists for k &lt;= 32: so Mix(z) &gt;&gt; 40 is exactly this &gt;&gt; 40.</summary>
    static Vector512<ulong> MixTop(Vector512<ulong> z)
    {
        z += Vector512.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        return (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
    }

    /// <summary>The same on 4 lanes.</summary>
    static Vector256<ulong> MixTop(Vector256<ulong> z)
    {
        z += Vector256.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        return (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(0x94D049BB133111EBUL);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx == null) return;
        long count = (long)n * Input.Length;
        if (!ctx.Training) { new ReadOnlySpan<float>(dy, (int)count).CopyTo(new Span<float>(dx, (int)count)); return; }
        var k = new MaskScale(s.State, dy, dx);
        KernelDriver.RunHere<float, MaskScale>(ref k, (int)count);
    }

    /// <summary>dx = mask != 0 ? dy * mask : +0; the mask holds +0 or scale &gt; 0, so != 0 is &gt; 0.</summary>
    readonly struct MaskScale(float* mask, float* dy, float* dx) : IKernel<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(nint i) where TV : struct, IVec<TV, float>
        {
            var m = TV.Load(mask + i);
            TV.SelectGreater(m, TV.Create(0f), TV.Load(dy + i) * m, TV.Create(0f)).Store(dx + i);
        }
    }
}
