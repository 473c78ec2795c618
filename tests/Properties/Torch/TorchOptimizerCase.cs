using System.Text.Json;
using NetNumerics.Optimizers;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// One recorded optimizer case (an `identical_to` case resolved to the records it shares): torch's call, and per step
/// the value of every state slot under torch's name, in plain mode and in native mode.
/// </summary>
sealed class TorchOptimizerCase
{
    public required string Id { get; init; }
    public required string Optimizer { get; init; }
    public required bool Foreach { get; init; }
    public required bool Float32 { get; init; }
    public required int Steps { get; init; }
    public required JsonElement Group { get; init; }
    public required string Init { get; init; }
    public required string[] Grads { get; init; }
    /// <summary>Slot (torch's name, including "param" and "step") to its dtype: float32, float64 or int.</summary>
    public required (string Slot, string Dtype)[] Slots { get; init; }
    public required JsonElement Plain { get; init; }
    public required JsonElement NativeXor { get; init; }

    public static IEnumerable<TorchOptimizerCase> Read(JsonDocument doc)
    {
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        var byId = cases.ToDictionary(c => c.GetProperty("id").GetString()!);
        foreach (var c in cases)
        {
            var data = c.TryGetProperty("identical_to", out var same) ? byId[same.GetString()!] : c;
            yield return new TorchOptimizerCase
            {
                Id = c.GetProperty("id").GetString()!,
                Optimizer = c.GetProperty("optimizer").GetString()!,
                Foreach = c.GetProperty("foreach").GetBoolean(),
                Float32 = c.GetProperty("dtype").GetString() == "float32",
                Steps = c.GetProperty("steps").GetInt32(),
                Group = data.GetProperty("torch_param_group"),   // an identical_to case has the same group but foreach
                Init = data.GetProperty("init").GetString()!,
                Grads = data.GetProperty("grad").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                Slots = data.GetProperty("slot_dtypes").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToArray(),
                Plain = data.GetProperty("plain"),
                NativeXor = data.GetProperty("native_xor"),
            };
        }
    }

    /// <summary>
    /// The recorded value of a float slot after step t+1, as bit patterns (native = plain XOR native_xor), or of an int slot.
    /// </summary>
    public ulong[] Expected(string slot, string dtype, int t, bool native)
    {
        if (dtype == "int")
        {
            long v = Plain.GetProperty(slot)[t].GetInt64();
            if (native) v ^= NativeXor.GetProperty(slot)[t].GetInt64();
            return [(ulong)v];
        }
        bool f32 = dtype == "float32";
        ulong[] bits = TorchFixtures.Bits(Plain.GetProperty(slot)[t].GetString()!, f32);
        if (native)
        {
            ulong[] x = TorchFixtures.Bits(NativeXor.GetProperty(slot)[t].GetString()!, f32);
            for (int i = 0; i < bits.Length; i++) bits[i] ^= x[i];
        }
        return bits;
    }

    /// <summary>The options record for torch's resolved param group, in the given order. Fails on a key it does not map.</summary>
    public IOptimizerOptions Options(OperationOrder order)
    {
        var g = Group;
        double D(string k) => g.GetProperty(k).GetDouble();
        bool B(string k) => g.GetProperty(k).GetBoolean();
        double Beta(int i) => g.GetProperty("betas")[i].GetDouble();
        var path = Foreach ? TorchPath.Foreach : TorchPath.SingleTensor;
        string[] known = Optimizer switch
        {
            "SGD" => ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"],
            "Adagrad" => ["lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value", "maximize"],
            "Adadelta" => ["lr", "rho", "eps", "weight_decay", "maximize"],
            "RMSprop" => ["lr", "momentum", "alpha", "eps", "centered", "weight_decay", "maximize"],
            "Adam" or "AdamW" => ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"],
            "Adamax" => ["lr", "betas", "eps", "weight_decay", "maximize"],
            "NAdam" => ["lr", "betas", "eps", "weight_decay", "momentum_decay"],
            "RAdam" => ["lr", "betas", "eps", "weight_decay"],
            _ => throw new InvalidOperationException($"{Id}: unknown optimizer {Optimizer}"),
        };
        foreach (var p in g.EnumerateObject())
        {
            bool offSwitch = p.Name is "foreach" or "capturable" or "differentiable" or "fused";
            if (offSwitch && p.Name != "foreach" && p.Value.GetBoolean())
                throw new InvalidOperationException($"{Id}: {p.Name} = true is not replayed");
            if (!offSwitch && !known.Contains(p.Name)) throw new InvalidOperationException($"{Id}: torch argument '{p.Name}' is not mapped");
        }
        return Optimizer switch
        {
            "SGD" => SgdOptions.PyTorch with
            {
                Momentum = D("momentum"), Dampening = D("dampening"), WeightDecay = D("weight_decay"), Nesterov = B("nesterov"),
                Maximize = B("maximize"), Order = order,
            },
            "Adagrad" => AdagradOptions.PyTorch with
            {
                LrDecay = D("lr_decay"), Epsilon = D("eps"), WeightDecay = D("weight_decay"),
                InitialAccumulatorValue = D("initial_accumulator_value"), Maximize = B("maximize"), Order = order, TorchPath = path,
            },
            "Adadelta" => AdadeltaOptions.PyTorch with
            {
                Rho = D("rho"), Epsilon = D("eps"), WeightDecay = D("weight_decay"), Maximize = B("maximize"), Order = order,
            },
            "RMSprop" => RmspropOptions.PyTorch with
            {
                Momentum = D("momentum"), Rho = D("alpha"), Epsilon = D("eps"), Centered = B("centered"), WeightDecay = D("weight_decay"),
                Maximize = B("maximize"), Order = order,
            },
            "Adam" => AdamOptions.PyTorch with
            {
                Beta1 = Beta(0), Beta2 = Beta(1), Epsilon = D("eps"), WeightDecay = D("weight_decay"), Amsgrad = B("amsgrad"),
                Maximize = B("maximize"), Order = order,
            },
            "AdamW" => AdamWOptions.PyTorch with
            {
                Beta1 = Beta(0), Beta2 = Beta(1), Epsilon = D("eps"), WeightDecay = D("weight_decay"), Amsgrad = B("amsgrad"),
                Maximize = B("maximize"), Order = order,
            },
            "Adamax" => AdamaxOptions.PyTorch with
            {
                Beta1 = Beta(0), Beta2 = Beta(1), Epsilon = D("eps"), WeightDecay = D("weight_decay"), Maximize = B("maximize"), Order = order,
            },
            "NAdam" => NadamOptions.PyTorch with
            {
                Beta1 = Beta(0), Beta2 = Beta(1), Epsilon = D("eps"), WeightDecay = D("weight_decay"), MomentumDecay = D("momentum_decay"),
                Order = order, TorchPath = path,
            },
            _ => RadamOptions.PyTorch with
            {
                Beta1 = Beta(0), Beta2 = Beta(1), Epsilon = D("eps"), WeightDecay = D("weight_decay"), Order = order, TorchPath = path,
            },
        };
    }

    public double LearningRate => Group.GetProperty("lr").GetDouble();
}
