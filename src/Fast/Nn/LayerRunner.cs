using NetNumerics.Fast.Nn.Layers;
using NetNumerics.Fast.Kernels;
using NetNumerics.Reference.Nn.Layers;
using NetNumerics.Nn;
namespace NetNumerics.Fast.Nn;

/// <summary>
/// Runs one Fast layer on NCHW data with spec-layout parameters, so properties can feed the Fast and the Reference
/// layer identical inputs and compare outputs and gradients layer by layer. Allocates: for tests and checks only.
/// </summary>
internal static unsafe class FastLayerRunner
{
    public sealed record Result(float[] Output, float[] InputGradient, float[][] ParameterGradients);

    /// <summary>parameters: weights then bias in the spec layout (empty for layers without parameters); winograd: convs that <see cref="Winograd3x3.Supports"/> run by Winograd (as in a model with the default options).</summary>
    public static Result Run(LayerSpec spec, int index, TensorShape input, float[][] parameters, float[] x, float[] dy, int batch, ForwardMode mode, bool winograd = false)
    {
        var layer = FastLayer.Create(spec, index, input, winograd);
        var output = layer.Output;
        var p = new float[layer.WeightCount + layer.BiasCount + 1];
        var g = new float[p.Length];
        if (layer.WeightCount > 0)
        {
            layer.ConvertWeights(parameters[0], p, toSpec: false);
            parameters[1].CopyTo(p, layer.WeightCount);
        }
        var scratch = new LayerScratch(layer.ScratchFloats(batch), layer.ScratchInts(batch), new GemmWorkspace());
        var state = new float[batch * layer.StateFloats + 1];
        var xs = new float[x.Length + 1]; var ys = new float[batch * output.Length + 1];
        var dys = new float[ys.Length]; var dxs = new float[xs.Length];
        var y = new float[batch * output.Length]; var dx = new float[x.Length];
        var ctx = new ChunkContext(0, mode.Training, mode.Seed, mode.Step);
        fixed (float* pp = p) fixed (float* pg = g) fixed (float* px = x) fixed (float* pxs = xs) fixed (float* pys = ys) fixed (float* py = y)
        fixed (float* pdy = dy) fixed (float* pdys = dys) fixed (float* pdxs = dxs) fixed (float* pdx = dx) fixed (float* pst = state)
        {
            scratch.State = pst;
            layer.Bind(pp);
            layer.Prepare();
            Layout.NchwToNhwc(px, pxs, batch, input);
            layer.Forward(pxs, pys, batch, ctx, scratch);
            Layout.NhwcToNchw(pys, py, batch, output);
            Layout.NchwToNhwc(pdy, pdys, batch, output);
            layer.Backward(pxs, pys, pdys, pdxs, batch, pg, ctx, scratch);
            Layout.NhwcToNchw(pdxs, pdx, batch, input);
        }
        GC.KeepAlive(scratch);   // the layer reads its buffers through raw pointers only: keep them from being collected mid-call
        var grads = Array.Empty<float[]>();
        if (layer.WeightCount > 0)
        {
            var w = new float[layer.WeightCount];
            layer.ConvertWeights(g, w, toSpec: true);
            grads = [w, g.AsSpan(layer.WeightCount, layer.BiasCount).ToArray()];
        }
        return new Result(y, dx, grads);
    }
}
