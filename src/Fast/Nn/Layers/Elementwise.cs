using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Nn.Layers;

/// <summary>ReLU with the Reference's exact rule: y = x &gt; 0 ? x : +0, dx = x &gt; 0 ? dy : +0 (Vector512 select).</summary>
internal sealed unsafe class FastRelu(TensorShape input, int index) : FastLayer(input, input, index)
{
    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s) => Select(x, x, y, (long)n * Input.Length);

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx != null) Select(x, dy, dx, (long)n * Input.Length);
    }

    static void Select(float* test, float* value, float* dst, long count)
    {
        long i = 0;
        for (; i + 16 <= count; i += 16)
        {
            var gt = Vector512.GreaterThan(Vector512.Load(test + i), Vector512<float>.Zero);
            Vector512.ConditionalSelect(gt, Vector512.Load(value + i), Vector512<float>.Zero).Store(dst + i);
        }
        for (; i < count; i++) dst[i] = test[i] > 0 ? value[i] : 0f;
    }
}

/// <summary>Flatten from NHWC to the spec's NCHW feature order: y[c*H*W + h*W + w] = x[(h*W + w)*C + c].</summary>
internal sealed unsafe class FastFlatten(TensorShape input, int index) : FastLayer(input, new TensorShape(input.Length, 1, 1), index)
{
    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        int c = Input.Channels, hw = Input.Height * Input.Width, len = Input.Length;
        for (int sm = 0; sm < n; sm++)
            for (int p = 0; p < hw; p++)
                for (int ch = 0; ch < c; ch++) y[(long)sm * len + ch * hw + p] = x[(long)sm * len + p * c + ch];
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx == null) return;
        int c = Input.Channels, hw = Input.Height * Input.Width, len = Input.Length;
        for (int sm = 0; sm < n; sm++)
            for (int p = 0; p < hw; p++)
                for (int ch = 0; ch < c; ch++) dx[(long)sm * len + p * c + ch] = dy[(long)sm * len + ch * hw + p];
    }
}

/// <summary>
/// Inverted dropout with the Reference's mask (<see cref="DropoutMask"/>): the element's NCHW index is recovered from its
/// NHWC position, the sample index is its position in the whole batch (chunk start + position in chunk), so the mask
/// does not depend on chunking or threads. y = keep ? x * scale : +0. Channels go 16 at a time: SplitMix64 on 8 ulong lanes
/// and an integer threshold test equal to the float one.
/// </summary>
internal sealed unsafe class FastDropout(DropoutSpec spec, TensorShape input, int index) : FastLayer(input, input, index)
{
    public override int ScratchFloats(int chunk) => chunk * Input.Length;

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        long count = (long)n * Input.Length;
        if (!ctx.Training) { new ReadOnlySpan<float>(x, (int)count).CopyTo(new Span<float>(y, (int)count)); return; }
        float scale = DropoutMask.Scale(spec.Rate);
        float* mask = s.Floats;
        ulong key = DropoutMask.Key(ctx.Seed, DropoutMask.Stream(ctx.Step, Index));
        // KeepWithKey is (Mix(key + i) >> 40) * 2^-24 >= rate; the product is exact, so keep <=> (Mix >> 40) >= ceil(rate 2^24).
        uint threshold = (uint)Math.Ceiling(spec.Rate * (1 << 24));
        int c = Input.Channels, hw = Input.Height * Input.Width, len = Input.Length;
        // Lane l of a 16-channel block holds channel ch + l, whose NCHW index is sampleBase + (ch + l) hw + p.
        var laneLo = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * (ulong)hw;
        var laneHi = laneLo + Vector512.Create(8UL * (ulong)hw);
        var vScale = Vector512.Create(scale); var vThreshold = Vector512.Create(threshold);
        for (int sm = 0; sm < n; sm++)
        {
            long sampleBase = (long)(ctx.BatchStart + sm) * len;
            for (int p = 0; p < hw; p++)
            {
                long at = (long)sm * len + (long)p * c;
                int ch = 0;
                for (; ch + 16 <= c; ch += 16)
                {
                    var first = Vector512.Create(key + (ulong)(sampleBase + (long)ch * hw + p));
                    var bits = Vector512.Narrow(Vector512.ShiftRightLogical(MixVector(first + laneLo), 40), Vector512.ShiftRightLogical(MixVector(first + laneHi), 40));
                    var keep = Vector512.GreaterThanOrEqual(bits, vThreshold).AsSingle();
                    Vector512.ConditionalSelect(keep, vScale, Vector512<float>.Zero).Store(mask + at + ch);
                    Vector512.ConditionalSelect(keep, Vector512.Load(x + at + ch) * vScale, Vector512<float>.Zero).Store(y + at + ch);
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

    /// <summary><see cref="CounterRng.Mix"/> on 8 lanes (SplitMix64 finaliser: add, xor-shift-multiply twice, xor-shift).</summary>
    static Vector512<ulong> MixVector(Vector512<ulong> z)
    {
        z += Vector512.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx == null) return;
        long count = (long)n * Input.Length;
        if (!ctx.Training) { new ReadOnlySpan<float>(dy, (int)count).CopyTo(new Span<float>(dx, (int)count)); return; }
        float* mask = s.Floats;
        long i = 0;
        for (; i + 16 <= count; i += 16)
        {
            var m = Vector512.Load(mask + i);
            Vector512.ConditionalSelect(Vector512.Equals(m, Vector512<float>.Zero), Vector512<float>.Zero, Vector512.Load(dy + i) * m).Store(dx + i);
        }
        for (; i < count; i++) dx[i] = mask[i] != 0 ? dy[i] * mask[i] : 0f;
    }
}
