using NetNumerics.Nn;
namespace NetNumerics.Reference.Nn;

/// <summary>
/// Keras' default initialisers: GlorotUniform kernels, w ~ U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out))
/// (Glorot and Bengio 2010; keras/src/initializers/random_initializers.py), fan_in = in_ch*kh*kw and
/// fan_out = out_ch*kh*kw for conv, fan_in = in and fan_out = out for dense; Zeros biases.
/// Element i of parameter p (index in the fixed parameter order) is limit * (2 u - 1) with
/// u = CounterRng.Uniform(seed, p, i), computed in double and rounded once, so every path gets the same weights.
/// </summary>
internal static class GlorotUniform
{
    public static double Limit(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    public static double Value(ulong seed, int parameterIndex, int element, double limit) =>
        limit * (2 * CounterRng.Uniform(seed, (ulong)parameterIndex, (ulong)element) - 1);

    /// <summary>(fan_in, fan_out) of a weight tensor of shape [out, in] or [out, in, kh, kw].</summary>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        int receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>Fill every parameter of <paramref name="spec"/>: weights Glorot uniform, biases zero. <paramref name="store"/> receives (index, element, value).</summary>
    public static void Initialize(NetworkSpec spec, ulong seed, Action<int, int, double> store)
    {
        var layout = spec.ParameterLayout();
        for (int p = 0; p < layout.Count; p++)
        {
            var (_, shape, _, isBias) = layout[p];
            int length = shape.Aggregate(1, (a, b) => a * b);
            if (isBias) { for (int i = 0; i < length; i++) store(p, i, 0.0); continue; }
            var (fanIn, fanOut) = Fans(shape);
            double limit = Limit(fanIn, fanOut);
            for (int i = 0; i < length; i++) store(p, i, Value(seed, p, i, limit));
        }
    }
}
