using NetNumerics.Fast.Nn;
using NetNumerics.Reference.Nn.Layers;
using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast;
using Xunit;
using static NetNumerics.Properties.Nn.NnCases;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Nn;

/// <summary>
/// Fast and Reference layers fed identical float inputs, parameters and upstream gradients.
/// Conv and dense sum in different orders (GEMM blocking, FMA), so each output o = sum of n terms t_i satisfies
/// |fast - exact| &lt;= gamma_n sum|t_i| and |ref - exact| &lt;= gamma_n sum|t_i| for ANY order and with or without FMA
/// (Higham, Lemma 3.1 / eq. 3.5), hence |fast - ref| &lt;= 2 gamma_n sum|t_i|, gamma_n = n u / (1 - n u), u = 2^-24.
/// sum|t_i| is computed exactly enough by the Reference layer in double on absolute values, and n per output is:
/// conv y: in*kh*kw + 1 (bias); conv dW, db: batch*out_h*out_w; conv dx: filters*kh*kw + 1 (dcol then col2im adds);
/// dense y: in + 1; dense dW, db: batch; dense dx: units.
/// ReLU, dropout, flatten and max-pool perform the same float operations in the same order: 0 ULP (bit patterns compared).
/// </summary>
public class FastReferenceLayerProperties
{
    internal sealed record Run(float[] Y, float[] Dx, float[][] Grads);

    internal static Run Reference(LayerCase c, float[][] parameters, float[] x, float[] dy, ForwardMode mode)
    {
        var layer = ReferenceLayer<float>.Create(c.Layer, 0, c.Input);
        for (int i = 0; i < parameters.Length; i++) parameters[i].CopyTo(layer.Parameters[i].Values, 0);
        var y = new float[c.Batch * c.Output.Length]; var dx = new float[x.Length];
        layer.Forward(x, y, c.Batch, mode);
        layer.Backward(x, y, dy, dx, c.Batch);
        return new Run(y, dx, layer.Parameters.Select(p => p.Gradients).ToArray());
    }

    /// <summary>Sum of |terms| of every output and gradient: the Reference in double on |x|, |W|, |b|, |dy|.</summary>
    internal static (double[] Y, double[] Dx, double[][] Grads) AbsoluteTerms(LayerCase c, float[][] parameters, float[] x, float[] dy)
    {
        var layer = ReferenceLayer<double>.Create(c.Layer, 0, c.Input);
        for (int i = 0; i < parameters.Length; i++) Abs(ToDouble(parameters[i])).CopyTo(layer.Parameters[i].Values, 0);
        var ax = Abs(ToDouble(x)); var ady = Abs(ToDouble(dy));
        var y = new double[c.Batch * c.Output.Length]; var dx = new double[x.Length];
        layer.Forward(ax, y, c.Batch, ForwardMode.Inference);
        layer.Backward(ax, y, ady, dx, c.Batch);
        return (y, dx, layer.Parameters.Select(p => p.Gradients).ToArray());
    }


    internal static (float[][] P, float[] X, float[] Dy) Inputs(LayerCase c)
    {
        var rng = new Random(c.Seed);
        var proto = ReferenceLayer<float>.Create(c.Layer, 0, c.Input);
        var p = proto.Parameters.Select(q => ToFloat(Grid(rng, q.Values.Length))).ToArray();
        return (p, ToFloat(Grid(rng, c.Batch * c.Input.Length)), ToFloat(Grid(rng, c.Batch * c.Output.Length)));
    }

    static Property Agree(LayerCase c, Func<LayerSpec, (int Y, int W, int Dx)> terms)
    {
        var (p, x, dy) = Inputs(c);
        var r = Reference(c, p, x, dy, ForwardMode.Inference);
        var f = FastLayerRunner.Run(c.Layer, 0, c.Input, p, x, dy, c.Batch, ForwardMode.Inference);
        var abs = AbsoluteTerms(c, p, x, dy);
        var (ny, nw, ndx) = terms(c.Layer);
        // Both within gamma_n sum|t_i| of the exact value (the dot-product bound, any order, with or without FMA): 2x apart.
        // Grid inputs (multiples of 2^-10 in [-1, 1]): no product underflows, so the underflow term is 0.
        foreach (var (what, fast, reference, sumAbs, n) in new[]
                 {
                     ("y", f.Output, r.Y, abs.Y, ny), ("dx", f.InputGradient, r.Dx, abs.Dx, ndx),
                     ("dW", f.ParameterGradients[0], r.Grads[0], abs.Grads[0], nw), ("db", f.ParameterGradients[1], r.Grads[1], abs.Grads[1], nw),
                 })
            NumericAssert.WithinBound<float>(reference, fast,
                sumAbs.Select(a => 2 * Bounds.Dot(n, a, Bounds.UnitRoundoff<float>(), 0)).ToArray(), label: $"{c} {what} (n = {n})");
        return true.Label(c.ToString());
    }

    [Property(MaxTest = 150)]
    public Property Conv2D_fast_agrees_with_reference_within_gamma_bound() =>
        Prop.ForAll(Conv().ToArbitrary(), c => Agree(c, l =>
        {
            var s = (Conv2DSpec)l;
            int taps = s.KernelHeight * s.KernelWidth;
            return (c.Input.Channels * taps + 1, c.Batch * c.Output.Height * c.Output.Width, s.Filters * taps + 1);
        }));

    /// <summary>Wider conv shapes so the GEMM crosses its 12-row, 32-column and 256-deep blocks (K = 9 * in up to 315).</summary>
    [Property(MaxTest = 20)]
    public Property Wide_conv2D_fast_agrees_with_reference_within_gamma_bound() =>
        Prop.ForAll((from ch in Gen.Choose(20, 35) from f in Gen.Choose(30, 70) from hw in Gen.Choose(3, 8) from b in Gen.Choose(1, 3)
                     from same in Gen.Elements(false, true) from seed in Gen.Choose(0, int.MaxValue)
                     select new LayerCase(new Conv2DSpec(f, 3, 3, 1, same ? Padding.Same : Padding.Valid), new TensorShape(ch, hw, hw), b, seed)).ToArbitrary(),
            c => Agree(c, l => (c.Input.Channels * 9 + 1, c.Batch * c.Output.Height * c.Output.Width, ((Conv2DSpec)l).Filters * 9 + 1)));

    [Property(MaxTest = 150)]
    public Property Dense_fast_agrees_with_reference_within_gamma_bound() =>
        Prop.ForAll(Dense().ToArbitrary(), c => Agree(c, l => (c.Input.Length + 1, c.Batch, ((DenseSpec)l).Units)));

    [Property(MaxTest = 20)]
    public Property Wide_dense_fast_agrees_with_reference_within_gamma_bound() =>
        Prop.ForAll((from n in Gen.Choose(200, 600) from u in Gen.Choose(1, 80) from b in Gen.Choose(1, 30) from seed in Gen.Choose(0, int.MaxValue)
                     select new LayerCase(new DenseSpec(u), new TensorShape(n, 1, 1), b, seed)).ToArbitrary(),
            c => Agree(c, l => (c.Input.Length + 1, c.Batch, ((DenseSpec)l).Units)));

    static Property Exact(LayerCase c, ForwardMode mode, Func<Random, int, float[]>? makeX = null)
    {
        var (p, x, dy) = Inputs(c);
        if (makeX != null) x = makeX(new Random(c.Seed + 1), x.Length);
        var r = Reference(c, p, x, dy, mode);
        var f = FastLayerRunner.Run(c.Layer, 0, c.Input, p, x, dy, c.Batch, mode);
        NumericAssert.BitExact<float>(r.Y, f.Output, label: $"{c} y");
        NumericAssert.BitExact<float>(r.Dx, f.InputGradient, label: $"{c} dx");
        return true.Label(c.ToString());
    }

    [Property(MaxTest = 150)]
    public Property Relu_dropout_flatten_fast_equals_reference_bitwise() =>
        Prop.ForAll(Elementwise().ToArbitrary(), c => Exact(c, new ForwardMode(true, (ulong)c.Seed * 31, c.Seed % 1000)));

    /// <summary>Inputs from a coarse grid so windows often hold ties: both paths must route the gradient to the first maximum.</summary>
    [Property(MaxTest = 150)]
    public Property MaxPool2D_fast_equals_reference_bitwise_including_ties() =>
        Prop.ForAll(Pool().ToArbitrary(), c => Exact(c, ForwardMode.Inference,
            (rng, n) => Enumerable.Range(0, n).Select(_ => (float)rng.Next(-3, 4)).ToArray()));

    /// <summary>Wide channel counts take the Vector512 path of max-pool (16 channels per vector) plus its scalar tail.</summary>
    [Property(MaxTest = 30)]
    public Property Wide_maxpool_fast_equals_reference_bitwise() =>
        Prop.ForAll((from ch in Gen.Choose(16, 40) from pool in Gen.Choose(2, 3) from st in Gen.Choose(1, 3) from hw in Gen.Choose(3, 8)
                     from b in Gen.Choose(1, 3) from seed in Gen.Choose(0, int.MaxValue)
                     select new LayerCase(new MaxPool2DSpec(pool, st), new TensorShape(ch, hw, hw), b, seed)).ToArbitrary(),
            c => Exact(c, ForwardMode.Inference, (rng, n) => Enumerable.Range(0, n).Select(_ => (float)rng.Next(-3, 4)).ToArray()));

    /// <summary>Wide channel counts take the Vector512 path of dropout (16 channels per mask vector) plus its scalar tail;
    /// rates like 0.1 and 1/3 make rate * 2^24 non-integral, so the integer threshold's rounding is exercised.</summary>
    [Property(MaxTest = 30)]
    public Property Wide_dropout_fast_equals_reference_bitwise() =>
        Prop.ForAll((from ch in Gen.Choose(16, 70) from rate in Gen.Elements(0.0, 0.1, 0.25, 1.0 / 3, 0.5, 0.9) from hw in Gen.Choose(1, 6)
                     from b in Gen.Choose(1, 3) from seed in Gen.Choose(0, int.MaxValue)
                     select new LayerCase(new DropoutSpec(rate), new TensorShape(ch, hw, hw), b, seed)).ToArbitrary(),
            c => Exact(c, new ForwardMode(true, (ulong)c.Seed * 31, c.Seed % 1000)));
}
