using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace NetNumerics.Properties.Nn;

public class NetworkSpecProperties
{
    [Fact]
    public void Mnist_seed_model_has_the_Keras_shapes_and_431242_parameters()
    {
        var spec = NetworkSpec.MnistSeed();
        Assert.Equal(new TensorShape(32, 26, 26), spec.Shapes[1]);
        Assert.Equal(new TensorShape(64, 11, 11), spec.Shapes[5]);
        Assert.Equal(new TensorShape(64, 5, 5), spec.Shapes[7]);
        Assert.Equal(new TensorShape(1600, 1, 1), spec.Shapes[9]);
        // conv1 32*1*9+32, conv2 64*32*9+64, dense1 256*1600+256, dense2 10*256+10 (Keras model.summary()).
        Assert.Equal(320 + 18496 + 409856 + 2570, spec.ParameterCount);
        var model = new ReferenceModel(spec, 1);
        Assert.Equal(431242, model.Parameters.Sum(p => p.Length));
        Assert.Equal(["layer0.conv2d.weights", "layer0.conv2d.bias", "layer4.conv2d.weights", "layer4.conv2d.bias",
            "layer9.dense.weights", "layer9.dense.bias", "layer11.dense.weights", "layer11.dense.bias"], model.Parameters.Select(p => p.Name));
    }

    /// <summary>Keras' 'same' padding: output ceil(n / stride); 'valid': floor((n - k) / stride) + 1.</summary>
    [Property(MaxTest = 200)]
    public bool Conv_output_size_follows_Keras(PositiveInt n0, PositiveInt k0, PositiveInt s0, bool same)
    {
        int n = n0.Get % 30 + 1, k = k0.Get % 7 + 1, s = s0.Get % 4 + 1;
        if (!same && k > n) return true;
        var spec = new Conv2DSpec(3, k, k, s, same ? Padding.Same : Padding.Valid);
        var o = spec.OutputShape(new TensorShape(2, n, n));
        int expected = same ? (int)Math.Ceiling(n / (double)s) : (int)Math.Floor((n - k) / (double)s) + 1;
        return o.Height == expected && o.Width == expected && o.Channels == 3;
    }

    [Property(MaxTest = 100)]
    public bool Glorot_uniform_weights_lie_within_the_limit_and_biases_are_zero(ulong seed)
    {
        var net = new ReferenceNetwork<float>(NetworkSpec.Builder(2, 5, 5).Conv2D(3, 3).Flatten().Dense(4).Build(), seed);
        double convLimit = Math.Sqrt(6.0 / (2 * 9 + 3 * 9)), denseLimit = Math.Sqrt(6.0 / (27 + 4));
        return net.Parameters[0].Values.All(v => Math.Abs(v) <= convLimit) && net.Parameters[1].Values.All(v => v == 0)
            && net.Parameters[2].Values.All(v => Math.Abs(v) <= denseLimit) && net.Parameters[3].Values.All(v => v == 0)
            && net.Parameters[0].Values.Distinct().Count() > 40;
    }

    [Fact]
    public void Bad_specs_and_batches_are_rejected_with_the_argument_named()
    {
        var e1 = Assert.Throws<ArgumentException>(() => NetworkSpec.Builder(1, 4, 4).Dense(3).Build());
        Assert.Contains("Flatten", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => NetworkSpec.Builder(1, 2, 2).Conv2D(3, 3).Flatten().Dense(3).Build());
        Assert.Contains("3x3", e2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkSpec.Builder(1, 4, 4).Dropout(1.0).Flatten().Dense(3).Build());
        var model = new ReferenceModel(NetworkSpec.Builder(1, 2, 2).Flatten().Dense(3).Build(), 0);
        var e3 = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[7], new[] { 0, 1 }, 0, 0));
        Assert.Equal("inputs", e3.ParamName);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(new float[8], new[] { 0, 3 }));
        Assert.Contains("labels[1] is 3", e4.Message);
    }
}

public class DropoutMaskProperties
{
    /// <summary>The hoisted form the Fast path uses draws the same number as CounterRng.UniformSingle, so the masks are identical.</summary>
    [Property(MaxTest = 500)]
    public bool Keep_with_hoisted_key_equals_keep(ulong seed, long step, byte layer, uint index, byte rate) =>
        DropoutMask.KeepWithKey(DropoutMask.Key(seed, DropoutMask.Stream(step, layer)), index, rate / 256.0)
        == DropoutMask.Keep(seed, DropoutMask.Stream(step, layer), index, rate / 256.0);

    /// <summary>The kept fraction over many elements is close to 1 - rate (binomial: 5 standard deviations).</summary>
    [Property(MaxTest = 20)]
    public bool Kept_fraction_is_one_minus_rate(ulong seed, byte r)
    {
        double rate = r / 256.0; const int n = 20000;
        int kept = Enumerable.Range(0, n).Count(i => DropoutMask.Keep(seed, 3, i, rate));
        return Math.Abs(kept - n * (1 - rate)) <= 5 * Math.Sqrt(n * rate * (1 - rate)) + 1;
    }
}
