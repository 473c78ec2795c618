using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;

namespace NetNumerics.Properties.Nn;

/// <summary>A random single-layer case: the layer spec, its input shape and batch size.</summary>
public sealed record LayerCase(LayerSpec Layer, TensorShape Input, int Batch, int Seed)
{
    public TensorShape Output => Layer.OutputShape(Input);
    public override string ToString() => $"{Layer} on {Input} x{Batch} seed {Seed}";
}

/// <summary>Generators of small random shapes, batches, paddings and strides for the CNN properties.</summary>
public static class NnCases
{
    public static Gen<LayerCase> Conv() =>
        from c in Gen.Choose(1, 4)
        from f in Gen.Choose(1, 6)
        from kh in Gen.Choose(1, 4)
        from kw in Gen.Choose(1, 4)
        from stride in Gen.Choose(1, 3)
        from same in Gen.Elements(false, true)
        from h in Gen.Choose(kh, 9)
        from w in Gen.Choose(kw, 9)
        from batch in Gen.Choose(1, 5)
        from seed in Gen.Choose(0, int.MaxValue)
        select new LayerCase(new Conv2DSpec(f, kh, kw, stride, same ? Padding.Same : Padding.Valid), new TensorShape(c, h, w), batch, seed);

    public static Gen<LayerCase> Dense() =>
        from n in Gen.Choose(1, 40)
        from units in Gen.Choose(1, 40)
        from batch in Gen.Choose(1, 7)
        from seed in Gen.Choose(0, int.MaxValue)
        select new LayerCase(new DenseSpec(units), new TensorShape(n, 1, 1), batch, seed);

    public static Gen<LayerCase> Pool() =>
        from c in Gen.Choose(1, 4)
        from pool in Gen.Choose(1, 3)
        from stride in Gen.Choose(0, 3)
        from h in Gen.Choose(pool, 9)
        from w in Gen.Choose(pool, 9)
        from batch in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select new LayerCase(new MaxPool2DSpec(pool, stride), new TensorShape(c, h, w), batch, seed);

    public static Gen<LayerCase> Elementwise() =>
        from kind in Gen.Choose(0, 2)
        from rate in Gen.Elements(0.0, 0.25, 0.5, 0.9)
        from c in Gen.Choose(1, 5)
        from h in Gen.Choose(1, 6)
        from w in Gen.Choose(1, 6)
        from batch in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select new LayerCase(kind switch { 0 => new ReluSpec(), 1 => new DropoutSpec(rate), _ => (LayerSpec)new FlattenSpec() },
            new TensorShape(c, h, w), batch, seed);

    /// <summary>Uniform values on the grid k * 2^-10 in [-1, 1]: exact in float, and x +- 2^-4 stays exact.</summary>
    public static double[] Grid(Random rng, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(-1024, 1025) / 1024.0;
        return a;
    }

    public static float[] ToFloat(double[] a) => a.Select(v => (float)v).ToArray();
    public static double[] ToDouble(float[] a) => a.Select(v => (double)v).ToArray();
    public static double[] Abs(double[] a) => a.Select(Math.Abs).ToArray();

}
