using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace NetNumerics.Optimizers;

/// <summary>
/// torch's names for an optimizer's state, and one parameter's state as a JSON document shaped like torch's
/// <c>optimizer.state_dict()["state"][i]</c>: <c>{"step": 3.0, "exp_avg": [...], "exp_avg_sq": [...]}</c>, keys in torch's
/// order, tensors as number lists. Every number is written in its shortest round-trip form (<c>"R"</c>) in the state's
/// own type, so <see cref="FromJson{T}(string, IOptimizerOptions, int?)"/> of <see cref="ToJson{T}"/> gives back every bit, and a
/// state torch wrote (<c>{k: v.tolist() if torch.is_tensor(v) else v for k, v in state.items()}</c>, <c>json.dumps</c>)
/// reads exactly. Non-finite elements are the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>
/// (a NaN other than the type's default NaN as <c>"NaN(0x...)"</c> with its bits). The porting table is in
/// docs/articles/pytorch-exact.md.
/// </summary>
public static class TorchStateDict
{
    const string Prefix = "Not a valid torch optimizer state: ";

    enum StepKind { None, FloatTensor, Int }

    /// <summary>
    /// torch's state key for each of <paramref name="options"/>' <see cref="IOptimizerOptions.SlotNames"/>, in the same
    /// order: Adam/AdamW/AMSGrad m, v, vmax = <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>; Adagrad accumulator =
    /// <c>sum</c>; Adadelta v, u = <c>square_avg</c>, <c>acc_delta</c>; RMSprop v, mg, momentum = <c>square_avg</c>,
    /// <c>grad_avg</c>, <c>momentum_buffer</c>; SGD <c>momentum_buffer</c>; AdaMax m, u = <c>exp_avg</c>, <c>exp_inf</c>;
    /// NAdam and RAdam m, v = <c>exp_avg</c>, <c>exp_avg_sq</c>. NAdam's <c>mu_product</c> and every <c>step</c> are not slots:
    /// they follow from <see cref="OptimizerState{T}.Step"/>. Throws <see cref="NotSupportedException"/> for Keras-form
    /// momentum (<see cref="MomentumForm.Keras"/>), whose velocity <c>-lr*b</c> torch does not keep.
    /// </summary>
    public static IReadOnlyList<string> SlotNames(IOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new string[options.SlotNames.Count];
        for (int i = 0; i < names.Length; i++) names[i] = TorchName(options, options.SlotNames[i]);
        return names;
    }

    static string TorchName(IOptimizerOptions options, string slot) => (options, slot) switch
    {
        (SgdOptions { MomentumForm: MomentumForm.PyTorch }, "momentum_buffer") => "momentum_buffer",
        (AdagradOptions, "accumulator") => "sum",
        (AdadeltaOptions, "v") or (RmspropOptions, "v") => "square_avg",
        (AdadeltaOptions, "u") => "acc_delta",
        (RmspropOptions, "mg") => "grad_avg",
        (RmspropOptions { MomentumForm: MomentumForm.PyTorch }, "momentum") => "momentum_buffer",
        (AdamOptions or AdamWOptions or AdamaxOptions or NadamOptions or RadamOptions, "m") => "exp_avg",
        (AdamOptions or AdamWOptions or NadamOptions or RadamOptions, "v") => "exp_avg_sq",
        (AdamOptions or AdamWOptions, "vmax") => "max_exp_avg_sq",
        (AdamaxOptions, "u") => "exp_inf",
        _ => throw new NotSupportedException(
            $"slot '{slot}' of optimizer '{options.Name}' has no torch counterpart" +
            (slot is "velocity" or "momentum" ? " (Keras-form momentum keeps -lr*b; use MomentumForm.PyTorch)." : ".")),
    };

    static StepKind StepOf(IOptimizerOptions options) => options switch
    {
        SgdOptions => StepKind.None,
        AdadeltaOptions or RmspropOptions => StepKind.Int,
        _ => StepKind.FloatTensor,
    };

    /// <summary>torch's keys in torch's order: step, (mu_product), then the slots in torch's order.</summary>
    static List<(string Key, int Slot)> Layout(IOptimizerOptions options)
    {
        var names = SlotNames(options);
        string[] torchOrder = ["momentum_buffer", "sum", "square_avg", "acc_delta", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "exp_inf"];
        if (options is RmspropOptions) torchOrder = ["square_avg", "momentum_buffer", "grad_avg"];
        var keys = new List<(string, int)>();
        if (StepOf(options) != StepKind.None) keys.Add(("step", -1));
        if (options is NadamOptions) keys.Add(("mu_product", -2));
        foreach (string key in torchOrder)
        {
            int slot = IndexOf(names, key);
            if (slot >= 0) keys.Add((key, slot));
        }
        if (options is SgdOptions { Momentum: 0 }) keys.Add(("momentum_buffer", -3));   // torch keeps None
        return keys;
    }

    static int IndexOf(IReadOnlyList<string> names, string key)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == key) return i;
        return -1;
    }

    /// <summary>torch's NAdam <c>mu_product</c> after <paramref name="step"/> updates (a float32 value, also for double parameters).</summary>
    static float MuProduct(NadamOptions o, long step) => TorchSteps.NadamMuProduct(o.Beta1, o.MomentumDecay, step);

    /// <summary>
    /// The state as one compact JSON object in torch's shape (see the class summary). <c>step</c> is written as torch
    /// stores it: a float (<c>3.0</c>) where torch keeps a float32 tensor, an integer for Adadelta and RMSprop, absent for
    /// SGD (whose <c>momentum_buffer</c> is <c>null</c>, torch's None, without momentum and before the first step).
    /// </summary>
    public static string ToJson<T>(OptimizerState<T> state, IOptimizerOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        CheckBelongs(state, options);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (key, slot) in Layout(options))
            {
                w.WritePropertyName(key);
                if (slot == -1)
                    w.WriteRawValue(state.Step.ToString(CultureInfo.InvariantCulture) + (StepOf(options) == StepKind.FloatTensor ? ".0" : ""), skipInputValidation: true);
                else if (slot == -2) WriteNumber(w, MuProduct((NadamOptions)options, state.Step));
                else if (slot == -3 || (options is SgdOptions && state.Step == 0)) w.WriteNullValue();   // torch: None until the first step
                else
                {
                    w.WriteStartArray();
                    foreach (T x in state.SlotAt(slot).Span) WriteNumber(w, x);
                    w.WriteEndArray();
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static void CheckBelongs<T>(OptimizerState<T> state, IOptimizerOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state.Optimizer != options.Name || !state.SlotNames.SequenceEqual(options.SlotNames))
            throw new ArgumentException(
                $"state belongs to optimizer '{state.Optimizer}' with slots [{string.Join(", ", state.SlotNames)}], but the options are '{options.Name}' with slots [{string.Join(", ", options.SlotNames)}].",
                nameof(state));
    }

    static void WriteNumber<T>(Utf8JsonWriter w, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsFinite(x)) { w.WriteRawValue(Format(x), skipInputValidation: true); return; }
        if (T.IsPositiveInfinity(x)) w.WriteStringValue("Infinity");
        else if (T.IsNegativeInfinity(x)) w.WriteStringValue("-Infinity");
        else if (BitsOf(x) == BitsOf(T.NaN)) w.WriteStringValue("NaN");
        else w.WriteStringValue($"NaN(0x{BitsOf(x):X})");
    }

    static string Format<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        x is float f ? f.ToString("R", CultureInfo.InvariantCulture)
        : x is double d ? d.ToString("R", CultureInfo.InvariantCulture)
        : double.CreateTruncating(x).ToString("R", CultureInfo.InvariantCulture);   // Half widens exactly and narrows back exactly

    static ulong BitsOf<T>(T x) where T : unmanaged =>
        x is float f ? BitConverter.SingleToUInt32Bits(f)
        : x is double d ? BitConverter.DoubleToUInt64Bits(d)
        : x is Half h ? BitConverter.HalfToUInt16Bits(h)
        : throw new NotSupportedException($"element type {typeof(T).Name} is not float, double or Half.");

    static T FromBits<T>(ulong bits, string where) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && bits <= uint.MaxValue) return (T)(object)BitConverter.UInt32BitsToSingle((uint)bits);
        if (typeof(T) == typeof(double)) return (T)(object)BitConverter.UInt64BitsToDouble(bits);
        if (typeof(T) == typeof(Half) && bits <= ushort.MaxValue) return (T)(object)BitConverter.UInt16BitsToHalf((ushort)bits);
        throw Bad($"{where}: NaN(0x{bits:X}) does not fit a {typeof(T).Name}.");
    }

#pragma warning disable RS0026   // the string and UTF-8 overloads mirror each other (as System.Text.Json's do); no call is ambiguous
    /// <summary>Reads a state written by <see cref="ToJson{T}"/> or by torch; see <see cref="FromJson{T}(ReadOnlySpan{byte}, IOptimizerOptions, int?)"/>.</summary>
    public static OptimizerState<T> FromJson<T>(string json, IOptimizerOptions options, int? length = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromJson<T>(Encoding.UTF8.GetBytes(json), options, length);
    }

    /// <summary>
    /// Reads one state from UTF-8 JSON. Every key torch keeps for <paramref name="options"/> must be present and no other;
    /// every tensor must have the same length; <c>step</c> must be a whole number in [0, 2^53]; NAdam's <c>mu_product</c>
    /// must be the one torch reaches after that many steps. Anything else is a <see cref="FormatException"/> whose one-line
    /// message says what was wrong. Memory follows the bytes given, never a declared size. <paramref name="length"/>, the
    /// parameter tensor's length, is needed only when the state holds no tensor (SGD without momentum); when given, every
    /// tensor must have it. torch's SGD keeps no step: the state read has Step 1 if it has a momentum buffer (torch's "not
    /// the first step"), else 0 (a <c>null</c> buffer, torch's None), unless the document has a <c>step</c>.
    /// </summary>
    public static OptimizerState<T> FromJson<T>(ReadOnlySpan<byte> utf8Json, IOptimizerOptions options, int? length = null) where T : unmanaged, IFloatingPointIeee754<T>
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(options);
        if (length is int given) Guard.NonNegative(given, nameof(length));
        var layout = Layout(options);
        var slots = new List<T>?[options.SlotNames.Count];
        long? step = null;
        float? muProduct = null;
        bool noBuffer = false;
        var seen = new HashSet<string>();
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the document");
            while (true)
            {
                Read(ref reader, "the state object");
                if (reader.TokenType == JsonTokenType.EndObject) break;
                string key = reader.GetString()!;
                if (!seen.Add(key)) throw Bad($"key '{key}' appears twice.");
                int at = layout.FindIndex(k => k.Key == key);
                bool sgdStep = key == "step" && options is SgdOptions;
                if (at < 0 && !sgdStep)
                    throw Bad($"key '{key}' is not part of {options.Name}'s torch state; expected [{string.Join(", ", layout.Select(k => k.Key))}].");
                int slot = at < 0 ? -1 : layout[at].Slot;
                Read(ref reader, $"'{key}'");
                if (slot == -1) step = ReadStep(ref reader);
                else if (slot == -2) muProduct = ReadElement<float>(ref reader, "mu_product");
                else if (slot == -3)
                {
                    if (reader.TokenType != JsonTokenType.Null) throw Bad("'momentum_buffer' must be null for SGD without momentum.");
                }
                else if (options is SgdOptions && reader.TokenType == JsonTokenType.Null) noBuffer = true;
                else slots[slot] = ReadTensor<T>(ref reader, key);
            }
            if (reader.Read()) throw Bad($"something follows the state object at byte {reader.TokenStartIndex}.");
        }
        catch (JsonException e)
        {
            throw Bad($"the JSON is malformed ({e.Message.Split('.')[0]}).");
        }

        foreach (var (key, _) in layout)
            if (!seen.Contains(key) && !(key == "momentum_buffer" && options is SgdOptions { Momentum: 0 }))
                throw Bad($"key '{key}' is missing; {options.Name}'s torch state has [{string.Join(", ", layout.Select(k => k.Key))}].");
        int n0 = length ?? -1;
        var names = SlotNames(options);
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is null) continue;   // SGD's momentum_buffer None
            int n = slots[i]!.Count;
            if (n0 >= 0 && n != n0)
                throw Bad(length is null
                    ? $"'{names[i]}' has {n} elements but '{names[0]}' has {n0}; every tensor must have the parameter's length."
                    : $"'{names[i]}' has {n} elements, but the parameter has {n0}.");
            n0 = n;
        }
        if (n0 < 0) throw new ArgumentException($"{options.Name}'s torch state holds no tensor, so the parameter length must be given.", nameof(length));
        long t = step ?? (options is SgdOptions { Momentum: not 0 } && !noBuffer ? 1 : 0);   // torch's SGD keeps no step: a buffer means "not the first step"
        if (options is NadamOptions nadam)
        {
            float expected = MuProduct(nadam, t);
            if (BitConverter.SingleToUInt32Bits(muProduct!.Value) != BitConverter.SingleToUInt32Bits(expected))
                throw Bad($"mu_product is {muProduct.Value.ToString("R", CultureInfo.InvariantCulture)}, but {t} steps with beta1 {nadam.Beta1.ToString("R", CultureInfo.InvariantCulture)} and momentum_decay {nadam.MomentumDecay.ToString("R", CultureInfo.InvariantCulture)} give {expected.ToString("R", CultureInfo.InvariantCulture)}; the state is not from these options.");
        }
        var state = new OptimizerState<T>(options.Name, n0, options.SlotNames) { Step = t };
        for (int i = 0; i < slots.Length; i++)
            if (slots[i] is { } values) System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).CopyTo(state.SlotAt(i).Span);
        return state;
    }

    static FormatException Bad(string message) => new(Prefix + message);

    static void Read(ref Utf8JsonReader reader, string what)
    {
        if (!reader.Read()) throw Bad($"the JSON ends inside {what}.");
    }

    static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        Read(ref reader, what);
        if (reader.TokenType != type) throw Bad($"{what} must start with a JSON object, not {reader.TokenType}.");
    }

    static long ReadStep(ref Utf8JsonReader reader)
    {
        const double Max = 9007199254740992.0;   // 2^53: every whole number up to it is exact
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double s) || !(s >= 0 && s <= Max) || s != Math.Floor(s))
            throw Bad($"'step' must be a whole number in [0, 2^53], but was {Encoding.UTF8.GetString(reader.ValueSpan)}.");
        return (long)s;
    }

    static List<T> ReadTensor<T>(ref Utf8JsonReader reader, string key) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Bad($"'{key}' must be a list of numbers, not {reader.TokenType}.");
        var list = new List<T>();
        while (true)
        {
            Read(ref reader, $"'{key}'");
            if (reader.TokenType == JsonTokenType.EndArray) return list;
            list.Add(ReadElement<T>(ref reader, $"'{key}'[{list.Count}]"));
        }
    }

    static T ReadElement<T>(ref Utf8JsonReader reader, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            string s = reader.GetString()!;
            if (s == "NaN") return T.NaN;
            if (s == "Infinity") return T.PositiveInfinity;
            if (s == "-Infinity") return T.NegativeInfinity;
            if (s.StartsWith("NaN(0x", StringComparison.Ordinal) && s.EndsWith(')')
                && ulong.TryParse(s.AsSpan(6, s.Length - 7), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong bits))
            {
                T nan = FromBits<T>(bits, where);
                if (T.IsNaN(nan)) return nan;
            }
            throw Bad($"{where} is the string \"{s}\"; only numbers, \"NaN\", \"Infinity\", \"-Infinity\" and \"NaN(0x<bits>)\" are allowed.");
        }
        if (reader.TokenType != JsonTokenType.Number) throw Bad($"{where} must be a number, not {reader.TokenType}.");
        if (typeof(T) == typeof(float) && reader.TryGetSingle(out float f) && float.IsFinite(f)) return (T)(object)f;
        if (typeof(T) == typeof(double) && reader.TryGetDouble(out double d) && double.IsFinite(d)) return (T)(object)d;
        if (typeof(T) == typeof(Half) && reader.TryGetDouble(out double h) && Half.IsFinite((Half)h)) return (T)(object)(Half)h;
        throw Bad($"{where} = {Encoding.UTF8.GetString(reader.ValueSpan)} is not a finite {typeof(T).Name}.");
    }
}
