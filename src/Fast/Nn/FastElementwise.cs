using System.Runtime.Intrinsics;

namespace NetNumerics.Fast;

/// <summary>ReLU with the Reference's exact rule: y = x &gt; 0 ? x : +0, dx = x &gt; 0 ? dy : +0 (Vector512 select).</summary>
public sealed unsafe class FastRelu(TensorShape input, int index) : FastLayer(input, input, index)
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
public sealed unsafe class FastFlatten(TensorShape input, int index) : FastLayer(input, new TensorShape(input.Length, 1, 1), index)
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
/// does not depend on chunking or threads. y = keep ? x * scale : +0.
/// </summary>
public sealed unsafe class FastDropout(DropoutSpec spec, TensorShape input, int index) : FastLayer(input, input, index)
{
    public override int ScratchFloats(int chunk) => chunk * Input.Length;

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        long count = (long)n * Input.Length;
        if (!ctx.Training) { new ReadOnlySpan<float>(x, (int)count).CopyTo(new Span<float>(y, (int)count)); return; }
        float scale = DropoutMask.Scale(spec.Rate);
        float* mask = s.Floats;
        ulong key = DropoutMask.Key(ctx.Seed, DropoutMask.Stream(ctx.Step, Index));
        int c = Input.Channels, h = Input.Height, w = Input.Width, len = Input.Length;
        for (int sm = 0; sm < n; sm++)
        {
            long sampleBase = (long)(ctx.BatchStart + sm) * len;
            for (int hh = 0; hh < h; hh++)
                for (int ww = 0; ww < w; ww++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        long at = (long)sm * len + (hh * w + ww) * c + ch;
                        bool keep = DropoutMask.KeepWithKey(key, sampleBase + (ch * h + hh) * w + ww, spec.Rate);
                        mask[at] = keep ? scale : 0f;
                        y[at] = keep ? x[at] * scale : 0f;
                    }
        }
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
