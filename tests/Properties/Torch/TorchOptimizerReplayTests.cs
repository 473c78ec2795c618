using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// Replays torch 1.13's recorded trajectories (Fixtures/Torch, scripts/torch-fixtures) open loop: the recorded initial
/// parameters, the recorded gradient at every step, our own state throughout (no resync), through the Reference and the
/// Fast path at every vector width (widest accelerated, 256, 128, scalar lanes), float32 and float64, with
/// <see cref="OperationOrder.PyTorch"/> against torch's plain kernels (<c>ATEN_CPU_CAPABILITY=default</c>) and
/// <see cref="OperationOrder.PyTorchFused"/> against its native (AVX2, FMA) kernels. An entry is one element of one
/// slot (the parameter, <c>step</c>, <c>mu_product</c> and every state tensor, read back through
/// <see cref="TorchStateDict.ToJson{T}"/> under torch's names) after one step; every entry must be bit-exact.
/// </summary>
public class TorchOptimizerReplayTests(ITestOutputHelper output)
{
    /// <summary>Every width this machine runs the Fast kernels at (widest first, scalar lanes last), each under SimdWidth.Limit.</summary>
    static readonly IReadOnlyList<VectorWidth> Widths = SimdWidth.Available;

    /// <summary>Entries compared and entries exact, per implementation ("reference", "fast-512", "fast-256", "fast-128", "fast-0" for scalar lanes).</summary>
    sealed class Tally
    {
        public readonly Dictionary<string, (long Exact, long Total)> Counts = new();
        public readonly List<string> Mismatches = new();

        public void Add(string impl, bool exact)
        {
            var (e, t) = Counts.GetValueOrDefault(impl);
            Counts[impl] = (e + (exact ? 1 : 0), t + 1);
        }

        public bool WantsMore => Mismatches.Count < 12;

        public void Note(string mismatch)
        {
            if (Mismatches.Count < 12) Mismatches.Add(mismatch);
        }
    }

    public static IEnumerable<object[]> Files() =>
        new[] { "sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "adamax", "nadam", "radam" }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_recorded_entry_is_bit_exact_in_plain_and_fused_mode(string file)
    {
        using var doc = TorchFixtures.Load(file + ".json.gz");
        var cases = TorchOptimizerCase.Read(doc).ToList();
        Assert.NotEmpty(cases);
        var tallies = new Dictionary<string, Tally> { ["plain"] = new(), ["native"] = new() };
        foreach (var c in cases)
            foreach (var mode in tallies.Keys)
            {
                var order = mode == "native" ? OperationOrder.PyTorchFused : OperationOrder.PyTorch;
                var options = c.Options(order);
                if (c.Float32) Replay<float>(c, options, mode == "native", tallies[mode]);
                else Replay<double>(c, options, mode == "native", tallies[mode]);
            }
        foreach (var (mode, t) in tallies)
        {
            output.WriteLine($"{file} {mode} ({cases.Count} cases): " +
                string.Join(", ", t.Counts.Select(kv => $"{kv.Key} {kv.Value.Exact}/{kv.Value.Total}")));
            foreach (string m in t.Mismatches) output.WriteLine("  " + m);
        }
        foreach (var (mode, t) in tallies)
            foreach (var (impl, (exact, total)) in t.Counts)
                Assert.True(exact == total, $"{file} {mode} {impl}: {exact}/{total} exact; first: {string.Join(" | ", t.Mismatches.Take(3))}");
    }

    /// <summary>
    /// Negative controls: the fixtures pin the order. Replaying torch's plain records with the fused order (and the native
    /// ones with the plain order) must miss entries for every optimizer (each uses add(alpha=) or addcmul), and the Keras
    /// order must miss entries for every optimizer but SGD (whose Keras and torch orders agree, as the issue reports).
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Other_orders_do_not_reproduce_the_records(string file)
    {
        using var doc = TorchFixtures.Load(file + ".json.gz");
        var swapped = new Tally();
        var keras = new Tally();
        foreach (var c in TorchOptimizerCase.Read(doc))
            foreach (bool native in new[] { false, true })
            {
                var other = c.Options(native ? OperationOrder.PyTorch : OperationOrder.PyTorchFused);
                var kerasOrder = KerasOrder(c.Options(OperationOrder.PyTorch));
                if (c.Float32) { Replay<float>(c, other, native, swapped, fast: false); if (kerasOrder is not null) Replay<float>(c, kerasOrder, native, keras, fast: false); }
                else { Replay<double>(c, other, native, swapped, fast: false); if (kerasOrder is not null) Replay<double>(c, kerasOrder, native, keras, fast: false); }
            }
        var (se, st) = swapped.Counts["reference"];
        output.WriteLine($"{file}: swapped modes {se}/{st} exact" + (keras.Counts.TryGetValue("reference", out var k) ? $", Keras order {k.Exact}/{k.Total} exact" : ""));
        Assert.True(se < st, $"{file}: the swapped modes reproduce all {st} entries, so the fixtures do not tell plain from fused");
        if (file != "sgd") Assert.True(k.Exact < k.Total, $"{file}: the Keras order reproduces all {k.Total} entries");
    }

    /// <summary>The same options in the Keras order (null where the Keras order cannot express them: torch's foreach rules).</summary>
    static IOptimizerOptions? KerasOrder(IOptimizerOptions o) => o switch
    {
        AdagradOptions { TorchPath: TorchPath.Foreach } or NadamOptions { TorchPath: TorchPath.Foreach } or RadamOptions { TorchPath: TorchPath.Foreach } => null,
        SgdOptions s => s with { Order = OperationOrder.Keras },
        AdagradOptions s => s with { Order = OperationOrder.Keras },
        AdadeltaOptions s => s with { Order = OperationOrder.Keras },
        RmspropOptions s => s with { Order = OperationOrder.Keras },
        AdamOptions s => s with { Order = OperationOrder.Keras },
        AdamWOptions s => s with { Order = OperationOrder.Keras },
        AdamaxOptions s => s with { Order = OperationOrder.Keras },
        NadamOptions s => s with { Order = OperationOrder.Keras },
        RadamOptions s => s with { Order = OperationOrder.Keras },
        _ => throw new ArgumentException(o.ToString()),
    };

    static void Replay<T>(TorchOptimizerCase c, IOptimizerOptions options, bool native, Tally tally, bool fast = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // torch's records decoded once: want[slot][t] = the bits after step t+1
        var want = c.Slots.Select(s => Enumerable.Range(0, c.Steps).Select(t => c.Expected(s.Slot, s.Dtype, t, native)).ToArray()).ToArray();
        var runs = new List<(string Impl, IOptimizer Optimizer, VectorWidth Width)> { ("reference", ReferenceOptimizers.For(options), VectorWidth.Bits512) };
        if (fast) foreach (var w in Widths) runs.Add(($"fast-{(int)w}", FastOptimizers.For(options), w));
        foreach (var (impl, optimizer, width) in runs)
        {
            using var cap = SimdWidth.Limit(width);
            T[] p = Decode<T>(c.Init);
            var state = optimizer.Init<T>(p.Length);
            for (int t = 0; t < c.Steps; t++)
            {
                optimizer.Update(state, p, Decode<T>(c.Grads[t]), c.LearningRate);
                var ours = impl == "reference" && fast ? FromJson(c, options, state, p, t, tally) : Direct(c, options, state, p);
                for (int s = 0; s < c.Slots.Length; s++)
                {
                    ulong[] expected = want[s][t], got = ours[s];
                    for (int i = 0; i < expected.Length; i++)
                    {
                        bool exact = i < got.Length && got[i] == expected[i];
                        tally.Add(impl, exact);
                        if (!exact && tally.WantsMore)
                            tally.Note($"{impl} {c.Id} step {t + 1} {c.Slots[s].Slot}[{i}]: ours {(i < got.Length ? got[i].ToString("x") : "missing")} torch {expected[i]:x}");
                    }
                }
            }
        }
    }

    static T[] Decode<T>(string hex) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (T[])(object)TorchFixtures.Floats(hex) : (T[])(object)TorchFixtures.Doubles(hex);

    /// <summary>
    /// The Reference's state under torch's names as <see cref="TorchStateDict.ToJson{T}"/> writes it (numbers parsed here,
    /// independently), in the fixture's slot order; also checks that <see cref="TorchStateDict.FromJson{T}(string, IOptimizerOptions, int?)"/>
    /// gives back the same bits (SGD: torch keeps no step, so the state read has Step 1 with a momentum buffer, else 0).
    /// </summary>
    static ulong[][] FromJson<T>(TorchOptimizerCase c, IOptimizerOptions options, OptimizerState<T> state, T[] p, int t, Tally tally)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string json = TorchStateDict.ToJson(state, options);
        var back = TorchStateDict.FromJson<T>(json, options, p.Length);
        var expect = state.Clone();
        if (options is SgdOptions sgd) expect.Step = sgd.Momentum == 0 ? 0 : 1;
        tally.Add("json-round-trip", back.BitEquals(expect));
        if (!back.BitEquals(expect)) tally.Note($"{c.Id} step {t + 1}: FromJson(ToJson) differs");
        using var doc = JsonDocument.Parse(json);
        return c.Slots.Select(s => s.Slot == "param" ? p.Select(Bits).ToArray()
            : doc.RootElement.TryGetProperty(s.Slot, out var v) ? Read(v, s.Dtype) : []).ToArray();
    }

    /// <summary>The Fast path's state read directly: slots through <see cref="TorchStateDict.SlotNames"/>, step and mu_product from Step.</summary>
    static ulong[][] Direct<T>(TorchOptimizerCase c, IOptimizerOptions options, OptimizerState<T> state, T[] p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var names = TorchStateDict.SlotNames(options);
        return c.Slots.Select(s => s.Slot switch
        {
            "param" => p.Select(Bits).ToArray(),
            "step" => s.Dtype == "int" ? [(ulong)state.Step] : [(ulong)BitConverter.SingleToUInt32Bits((float)TorchSteps.FloatStep(state.Step))],
            "mu_product" => [(ulong)BitConverter.SingleToUInt32Bits(
                TorchSteps.NadamMuProduct(((NadamOptions)options).Beta1, ((NadamOptions)options).MomentumDecay, state.Step))],
            _ => names.Contains(s.Slot) ? state.SlotAt(names.ToList().IndexOf(s.Slot)).ToArray().Select(Bits).ToArray() : [],
        }).ToArray();
    }

    static ulong Bits<T>(T x) where T : unmanaged =>
        x is float f ? BitConverter.SingleToUInt32Bits(f) : BitConverter.DoubleToUInt64Bits((double)(object)x);

    /// <summary>A value of our JSON in the slot's dtype, as bits: numbers parsed independently of TorchStateDict.</summary>
    static ulong[] Read(JsonElement v, string dtype)
    {
        if (dtype == "int") return [(ulong)v.GetInt64()];
        var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToArray() : [v];
        return items.Select(e => Element(e, dtype == "float32")).ToArray();
    }

    static ulong Element(JsonElement e, bool f32)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            string s = e.GetString()!;
            double d = s switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => 0 };
            if (s.StartsWith("NaN(0x")) return ulong.Parse(s[6..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return f32 ? BitConverter.SingleToUInt32Bits((float)d) : BitConverter.DoubleToUInt64Bits(d);
        }
        string raw = e.GetRawText();
        return f32 ? BitConverter.SingleToUInt32Bits(float.Parse(raw, CultureInfo.InvariantCulture))
            : BitConverter.DoubleToUInt64Bits(double.Parse(raw, CultureInfo.InvariantCulture));
    }
}
