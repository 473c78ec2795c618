using System.Runtime.CompilerServices;
using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;

namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// Max pooling on NHWC, vectorised over channels at any width. Same rule as the Reference: a window element replaces the
/// running maximum only if strictly greater, so the FIRST maximum in row-major order wins and gets the gradient. The
/// winner's place in its window (i * pool + j, held as a float: exact) is kept for the backward pass.
/// </summary>
internal sealed unsafe class FastMaxPool2D(MaxPool2DSpec spec, TensorShape input, int index) : FastLayer(input, spec.OutputShape(input), index)
{
    public override int StateFloats => Output.Length;   // the winners

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        int c = Input.Channels, w = Input.Width, st = spec.EffectiveStride;
        for (int sm = 0; sm < n; sm++)
        {
            float* xs = x + (long)sm * Input.Length;
            long outBase = (long)sm * Output.Length;
            for (int p = 0; p < Output.Height; p++)
                for (int q = 0; q < Output.Width; q++)
                {
                    long o0 = outBase + (p * Output.Width + q) * c;
                    var k = new Window(xs + (p * st * w + q * st) * c, w * c, c, spec.Pool, y + o0, s.State + o0);
                    KernelDriver.RunHere<float, Window>(ref k, c);
                }
        }
    }

    /// <summary>One output position, channels [ch, ch + TV.Count): max over the pool x pool window whose top-left is at x.</summary>
    readonly struct Window(float* x, int rowStride, int c, int pool, float* y, float* arg) : IKernel<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(nint ch) where TV : struct, IVec<TV, float>
        {
            TV best = TV.Load(x + ch), bestAt = TV.Create(0f);
            for (int i = 0; i < pool; i++)
                for (int j = 0; j < pool; j++)
                {
                    var v = TV.Load(x + i * rowStride + j * c + ch);
                    bestAt = TV.SelectGreater(v, best, TV.Create(i * pool + j), bestAt);
                    best = TV.SelectGreater(v, best, v, best);
                }
            best.Store(y + ch);
            bestAt.Store(arg + ch);
        }
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (dx == null) return;
        new Span<float>(dx, n * Input.Length).Clear();
        int c = Input.Channels, w = Input.Width, st = spec.EffectiveStride, pool = spec.Pool;
        float* arg = s.State;
        int* offset = stackalloc int[pool * pool];   // window place i * pool + j -> its offset from the window's top-left
        for (int wi = 0; wi < pool; wi++)
            for (int wj = 0; wj < pool; wj++) offset[wi * pool + wj] = (wi * w + wj) * c;
        long i = 0;
        for (int sm = 0; sm < n; sm++)
        {
            float* dxs = dx + (long)sm * Input.Length;
            for (int p = 0; p < Output.Height; p++)
                for (int q = 0; q < Output.Width; q++)
                {
                    float* corner = dxs + (p * st * w + q * st) * c;
                    for (int ch = 0; ch < c; ch++, i++) corner[offset[(int)arg[i]] + ch] += dy[i];   // outputs in order, as the Reference adds them
                }
        }
    }
}
