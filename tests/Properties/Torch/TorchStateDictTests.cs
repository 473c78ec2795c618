using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// TorchStateDict: torch's slot names, JSON documents shaped like torch's <c>state_dict()["state"][i]</c> that read back
/// bit for bit (every finite value, -0, subnormals, infinities, NaNs with any payload), documents as torch's Python writes
/// them, and one clear error for every kind of damage.
/// </summary>
public class TorchStateDictTests
{
    static readonly IOptimizerOptions[] Torchable =
    [
        SgdOptions.PyTorch, SgdOptions.PyTorch with { Momentum = 0.9 }, AdagradOptions.PyTorch, AdadeltaOptions.PyTorch,
        RmspropOptions.PyTorch, RmspropOptions.PyTorch with { Momentum = 0.5, Centered = true }, AdamOptions.PyTorch,
        AdamOptions.PyTorch with { Amsgrad = true }, AdamWOptions.PyTorch, AdamaxOptions.PyTorch, NadamOptions.PyTorch,
        RadamOptions.PyTorch, new AdamOptions(), new AdagradOptions(), new NadamOptions { Schedule = NadamSchedule.Keras3 },
    ];

    /// <summary>A state of the options after a few real steps, then every slot element replaced with arbitrary bits now and then.</summary>
    static OptimizerState<T> Arbitrary<T>(IOptimizerOptions o, int length, int steps, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var opt = ReferenceOptimizers.For(o);
        var state = opt.Init<T>(length);
        var rng = new Random(seed);
        var p = new T[length]; var g = new T[length];
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < length; i++) g[i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-30, 10)));
            opt.Update(state, p, g, 1e-3);
        }
        for (int k = 0; k < state.SlotNames.Count; k++)
        {
            var slot = state.SlotAt(k).Span;
            for (int i = 0; i < slot.Length; i++)
                if (rng.Next(4) == 0) slot[i] = RandomBits<T>(rng);
        }
        return state;
    }

    static T RandomBits<T>(Random rng) where T : unmanaged
    {
        Span<byte> b = stackalloc byte[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        rng.NextBytes(b);
        return System.Runtime.InteropServices.MemoryMarshal.Read<T>(b);
    }

    static void RoundTrip<T>(IOptimizerOptions o, int length, int steps, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = Arbitrary<T>(o, length, steps, seed);
        string json = TorchStateDict.ToJson(state, o);
        var back = TorchStateDict.FromJson<T>(json, o, length);
        if (o is SgdOptions sgd)
        {
            // torch's SGD keeps no step: a buffer means "not the first step" (Step 1); before the first step it is None
            if (state.Step == 0) foreach (var name in state.SlotNames) state.Slot(name).Span.Clear();
            state.Step = sgd.Momentum == 0 || state.Step == 0 ? 0 : 1;
        }
        NumericAssert.BitExact(state, back, NanPolicy.PayloadExact, label: $"{o}: {json}");   // a serializer keeps every bit, NaN payloads too
        Assert.Equal(json, TorchStateDict.ToJson(back, o));
    }

    [Property(MaxTest = 60)]
    public Property Json_round_trip_is_bit_exact_for_float_double_and_half() =>
        Prop.ForAll(Gen.Elements(Torchable).ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (o, length, steps) =>
        {
            RoundTrip<float>(o, length, steps, length * 7 + steps);
            RoundTrip<double>(o, length, steps, length * 7 + steps);
            RoundTrip<Half>(o, length, steps, length * 7 + steps);
        });

    [Fact]
    public void Keys_are_torchs_in_torchs_order()
    {
        Assert.Equal(["exp_avg", "exp_avg_sq", "max_exp_avg_sq"], TorchStateDict.SlotNames(AdamOptions.PyTorch with { Amsgrad = true }));
        Assert.Equal(["square_avg", "grad_avg", "momentum_buffer"], TorchStateDict.SlotNames(RmspropOptions.PyTorch with { Momentum = 0.5, Centered = true }));
        Assert.Equal(["sum"], TorchStateDict.SlotNames(AdagradOptions.PyTorch));
        Assert.Equal(["square_avg", "acc_delta"], TorchStateDict.SlotNames(AdadeltaOptions.PyTorch));
        Assert.Equal(["exp_avg", "exp_inf"], TorchStateDict.SlotNames(AdamaxOptions.PyTorch));
        Assert.Equal(["momentum_buffer"], TorchStateDict.SlotNames(SgdOptions.PyTorch with { Momentum = 0.9 }));
        var rms = RmspropOptions.PyTorch with { Momentum = 0.5, Centered = true };
        string json = TorchStateDict.ToJson(ReferenceOptimizers.For(rms).Init<float>(1), rms);
        Assert.Equal("""{"step":0,"square_avg":[0],"momentum_buffer":[0],"grad_avg":[0]}""", json);
        var nadam = NadamOptions.PyTorch;
        Assert.Equal("""{"step":0.0,"mu_product":1,"exp_avg":[],"exp_avg_sq":[]}""", TorchStateDict.ToJson(ReferenceOptimizers.For(nadam).Init<double>(0), nadam));
        Assert.Equal("""{"momentum_buffer":null}""", TorchStateDict.ToJson(ReferenceOptimizers.For(SgdOptions.PyTorch).Init<float>(3), SgdOptions.PyTorch));
    }

    [Fact]
    public void Reads_a_state_as_torchs_python_writes_it()
    {
        // json.dumps({k: v.tolist() if torch.is_tensor(v) else v ...}) of a float32 Adam state after 3 steps: the floats
        // widened to double and printed by repr; NaN, as json.dumps(allow_nan) cannot be read, as a string.
        string json = """{"step": 3.0, "exp_avg": [0.10000000149011612, -0.0, 1e-45, "NaN", "-Infinity"], "exp_avg_sq": [1.0, 2.5, 3.4028234663852886e+38, 0.0, 5e-324]}""";
        var s = TorchStateDict.FromJson<float>(json, AdamOptions.PyTorch);
        Assert.Equal(3, s.Step);
        float[] m = s.Slot("m").ToArray(), v = s.Slot("v").ToArray();
        Assert.Equal([0.1f, -0f, float.Epsilon, float.NaN, float.NegativeInfinity], m);
        NumericAssert.BitExact(-0f, m[1]);
        NumericAssert.BitExact(float.NaN, m[3], NanPolicy.PayloadExact);   // "NaN" reads as .NET's float.NaN
        Assert.Equal([1f, 2.5f, float.MaxValue, 0f, 0f], v);
        Assert.Equal(3, TorchStateDict.FromJson<double>("""{"step": 3, "square_avg": [1.5], "acc_delta": [2]}""", AdadeltaOptions.PyTorch).Step);
    }

    [Fact]
    public void A_nan_with_a_payload_keeps_its_bits()
    {
        var o = AdamOptions.PyTorch;
        var s = ReferenceOptimizers.For(o).Init<float>(2);
        s.Slot("m").Span[0] = BitConverter.UInt32BitsToSingle(0x7FC00001);
        s.Slot("v").Span[1] = -float.NaN;
        string json = TorchStateDict.ToJson(s, o);
        Assert.Contains("\"NaN(0x7FC00001)\"", json);
        NumericAssert.BitExact(s, TorchStateDict.FromJson<float>(json, o), NanPolicy.PayloadExact);
    }

    public static IEnumerable<object[]> BadDocuments() => new (string Json, string Message)[]
    {
        ("", "malformed"),
        ("[1, 2]", "must start with a JSON object"),
        ("""{"step": 1.0, "exp_avg": [1]}""", "key 'exp_avg_sq' is missing"),
        ("""{"step": 1.0, "exp_avg": [1], "exp_avg_sq": [1], "momentum": [1]}""", "key 'momentum' is not part of adam's torch state"),
        ("""{"step": 1.0, "step": 2.0, "exp_avg": [1], "exp_avg_sq": [1]}""", "key 'step' appears twice"),
        ("""{"step": 1.0, "exp_avg": [1, 2], "exp_avg_sq": [1]}""", "'exp_avg_sq' has 1 elements but 'exp_avg' has 2"),
        ("""{"step": -1.0, "exp_avg": [1], "exp_avg_sq": [1]}""", "'step' must be a whole number in [0, 2^53], but was -1.0"),
        ("""{"step": 1.5, "exp_avg": [1], "exp_avg_sq": [1]}""", "'step' must be a whole number"),
        ("""{"step": 1e300, "exp_avg": [1], "exp_avg_sq": [1]}""", "'step' must be a whole number"),
        ("""{"step": "1", "exp_avg": [1], "exp_avg_sq": [1]}""", "'step' must be a whole number"),
        ("""{"step": 1.0, "exp_avg": [1, "x"], "exp_avg_sq": [1, 2]}""", "'exp_avg'[1] is the string \"x\""),
        ("""{"step": 1.0, "exp_avg": [1, true], "exp_avg_sq": [1, 2]}""", "'exp_avg'[1] must be a number, not True"),
        ("""{"step": 1.0, "exp_avg": [1e39], "exp_avg_sq": [1]}""", "'exp_avg'[0] = 1e39 is not a finite Single"),
        ("""{"step": 1.0, "exp_avg": [1], "exp_avg_sq": [1], }""", "malformed"),
        ("""{"step": 1.0, "exp_avg": [1], "exp_avg_sq": [1]} {}""", "malformed"),
        ("""{"step": 1.0, "exp_avg": {"a": 1}, "exp_avg_sq": [1]}""", "'exp_avg' must be a list of numbers, not StartObject"),
        ("""{"step": 1.0, "exp_avg": ["NaN(0x7F800000)"], "exp_avg_sq": [1]}""", "only numbers"),
        ("""{"step": 1.0, "exp_avg": ["NaN(0x1FFC00000)"], "exp_avg_sq": [1]}""", "does not fit a Single"),
        ("""{"step": 1.0, "exp_avg": [1""", "malformed"),
    }.Select(x => new object[] { x.Json, x.Message });

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void A_damaged_document_is_refused_with_one_clear_line(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => TorchStateDict.FromJson<float>(json, AdamOptions.PyTorch));
        Assert.StartsWith("Not a valid torch optimizer state: ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_mu_product_from_other_options_or_steps_is_refused()
    {
        var o = NadamOptions.PyTorch;
        var s = ReferenceOptimizers.For(o).Init<float>(1);
        s.Step = 5;
        string json = TorchStateDict.ToJson(s, o);
        var e = Assert.Throws<FormatException>(() => TorchStateDict.FromJson<float>(json, o with { Beta1 = 0.8 }));
        Assert.Contains("mu_product is", e.Message);
        Assert.Throws<FormatException>(() => TorchStateDict.FromJson<float>(json.Replace("\"step\":5.0", "\"step\":6.0"), o));
    }

    [Fact]
    public void Keras_momentum_has_no_torch_name_and_sgd_without_momentum_needs_the_length()
    {
        var keras = new SgdOptions { Momentum = 0.9 };
        var e = Assert.Throws<NotSupportedException>(() => TorchStateDict.SlotNames(keras));
        Assert.Contains("velocity", e.Message);
        Assert.Throws<NotSupportedException>(() => TorchStateDict.ToJson(ReferenceOptimizers.For(keras).Init<float>(1), keras));
        Assert.Throws<NotSupportedException>(() => TorchStateDict.SlotNames(new RmspropOptions { Momentum = 0.5 }));
        var a = Assert.Throws<ArgumentException>(() => TorchStateDict.FromJson<float>("""{"momentum_buffer": null}""", SgdOptions.PyTorch));
        Assert.Contains("parameter length must be given", a.Message);
        Assert.Equal(7, TorchStateDict.FromJson<float>("""{"momentum_buffer": null}""", SgdOptions.PyTorch, 7).Length);
        Assert.Throws<FormatException>(() => TorchStateDict.FromJson<float>("""{"step": 1.0, "exp_avg": [1], "exp_avg_sq": [1]}""", AdamOptions.PyTorch, 2));
        Assert.Throws<ArgumentException>(() => TorchStateDict.ToJson(ReferenceOptimizers.For(AdamOptions.PyTorch).Init<float>(1), new AdagradOptions()));
    }
}
