using NetNumerics.Nn;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// Max pooling on NHWC, vectorised over channels. Same rule as the Reference: a window element replaces the running
/// maximum only if strictly greater, so the FIRST maximum in row-major order wins and gets the gradient. The winner's
/// index is kept for the backward pass.
/// </summary>
internal sealed unsafe class FastMaxPool2D(MaxPool2DSpec spec, TensorShape input, int index) : FastLayer(input, spec.OutputShape(input), index)
{
    public override int ScratchInts(int chunk) => chunk * Output.Length;

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        int c = Input.Channels, w = Input.Width, st = spec.EffectiveStride, pool = spec.Pool;
        int* arg = s.Ints;
        for (int sm = 0; sm < n; sm++)
        {
            float* xs = x + (long)sm * Input.Length;
            int outBase = sm * Output.Length;
            for (int p = 0; p < Output.Height; p++)
                for (int q = 0; q < Output.Width; q++)
                {
                    int o0 = outBase + (p * Output.Width + q) * c, first = (p * st * w + q * st) * c;
                    int ch = 0;
                    for (; ch + 16 <= c; ch += 16)
                    {
                        var best = Vector512.Load(xs + first + ch);
                        var bestIdx = Vector512.Create(first + ch) + Vector512<int>.Indices;
                        for (int i = 0; i < pool; i++)
                            for (int j = 0; j < pool; j++)
                            {
                                int at = ((p * st + i) * w + q * st + j) * c + ch;
                                var v = Vector512.Load(xs + at);
                                var gt = Vector512.GreaterThan(v, best);
                                best = Vector512.ConditionalSelect(gt, v, best);
                                bestIdx = Vector512.ConditionalSelect(gt.AsInt32(), Vector512.Create(at) + Vector512<int>.Indices, bestIdx);
                            }
                        best.Store(y + o0 + ch);
                        (bestIdx + Vector512.Create(sm * Input.Length)).Store(arg + o0 + ch);
                    }
                    for (; ch < c; ch++)
                    {
                        int bi = first + ch; float best = xs[bi];
                        for (int i = 0; i < pool; i++)
                            for (int j = 0; j < pool; j++)
                            {
                                int at = ((p * st + i) * w + q * st + j) * c + ch;
                                if (xs[at] > best) { best = xs[at]; bi = at; }
                            }
                        y[o0 + ch] = best;
                        arg[o0 + ch] = sm * Input.Length + bi;
                    }
                }
        }
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx == null) return;
        new Span<float>(dx, n * Input.Length).Clear();
        int* arg = s.Ints;
        int count = n * Output.Length;
        for (int i = 0; i < count; i++) dx[arg[i]] += dy[i];
    }
}
