using NetNumerics.Nn;
namespace NetNumerics.Fast.Kernels;

/// <summary>Per-sample layout changes between the spec's NCHW and the Fast path's NHWC.</summary>
internal static unsafe class Layout
{
    public static void NchwToNhwc(float* src, float* dst, int n, TensorShape shape)
    {
        int c = shape.Channels, hw = shape.Height * shape.Width, len = shape.Length;
        if (c == 1 || hw == 1) { new ReadOnlySpan<float>(src, n * len).CopyTo(new Span<float>(dst, n * len)); return; }
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++) dst[(long)s * len + p * c + ch] = src[(long)s * len + ch * hw + p];
    }

    public static void NhwcToNchw(float* src, float* dst, int n, TensorShape shape)
    {
        int c = shape.Channels, hw = shape.Height * shape.Width, len = shape.Length;
        if (c == 1 || hw == 1) { new ReadOnlySpan<float>(src, n * len).CopyTo(new Span<float>(dst, n * len)); return; }
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++) dst[(long)s * len + ch * hw + p] = src[(long)s * len + p * c + ch];
    }
}
