using System.Text.Json;
using NetNumerics.Fast.Schedules;
using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;
using Xunit;
using Xunit.Abstractions;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Torch;

/// <summary>
/// Replays torch 1.13's recorded LR schedulers (Fixtures/Torch/schedulers.json.gz: 29 cases, 300 steps each, the lr and
/// where cycled the momentum or Adam's beta1) through the Reference record and the Fast evaluator (At per step, and
/// one Fill over the whole range): every value must have torch's bits. torch's Python callables are written here as
/// the same C# expressions (Math.Pow is glibc's pow, as CPython's <c>**</c>).
/// </summary>
public class TorchScheduleReplayTests(ITestOutputHelper output)
{
    static readonly Dictionary<string, Func<long, double>> Lambdas = new()
    {
        ["lambda epoch: 0.95 ** epoch"] = e => Math.Pow(0.95, e),
        ["lambda epoch: 1 / (1 + 0.05 * epoch)"] = e => 1 / (1 + 0.05 * e),
        ["lambda epoch: 0.97"] = _ => 0.97,
        ["lambda epoch: 0.5 if epoch % 10 == 0 else 0.99"] = e => e % 10 == 0 ? 0.5 : 0.99,
    };

    static readonly Dictionary<string, Func<double, double>> ScaleFunctions = new()
    {
        ["lambda x: 1 / (1 + 0.01 * x)"] = x => 1 / (1 + 0.01 * x),
    };

    /// <summary>The record for a recorded torch scheduler, with torch's defaults for the arguments not given.</summary>
    static ISchedule Spec(JsonElement c)
    {
        var k = c.GetProperty("kwargs");
        double lr0 = c.GetProperty("optimizer_kwargs").GetProperty("lr").GetDouble();
        double D(string key, double fallback) => k.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetDouble() : fallback;
        long L(string key, long fallback) => k.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetInt64() : fallback;
        bool B(string key, bool fallback) => k.TryGetProperty(key, out var v) ? v.GetBoolean() : fallback;
        string S(string key, string fallback) => k.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        string? Callable(string key) => c.TryGetProperty("callables", out var f) && f.TryGetProperty(key, out var v) ? v.GetString() : null;
        return c.GetProperty("scheduler").GetString() switch
        {
            "StepLR" => new StepLR { InitialLearningRate = lr0, StepSize = L("step_size", 0), Gamma = D("gamma", 0.1) },
            "MultiStepLR" => new MultiStepDecay
            {
                InitialLearningRate = lr0, Milestones = k.GetProperty("milestones").EnumerateArray().Select(m => m.GetInt64()).ToArray(),
                Gamma = D("gamma", 0.1),
            },
            "ExponentialLR" => new ExponentialLR { InitialLearningRate = lr0, Gamma = D("gamma", 0), Chainable = true },
            "CosineAnnealingLR" => new CosineAnnealing { InitialLearningRate = lr0, TMax = L("T_max", 0), MinLearningRate = D("eta_min", 0), Chainable = true },
            "CosineAnnealingWarmRestarts" => new CosineWarmRestarts
            {
                InitialLearningRate = lr0, FirstPeriod = L("T_0", 0), PeriodMultiplier = L("T_mult", 1), MinLearningRate = D("eta_min", 0),
            },
            "LinearLR" => new LinearLR
            {
                InitialLearningRate = lr0, StartFactor = D("start_factor", 1.0 / 3), EndFactor = D("end_factor", 1.0), TotalIters = L("total_iters", 5),
            },
            "ConstantLR" => new ConstantLR { InitialLearningRate = lr0, Factor = D("factor", 1.0 / 3), TotalIters = L("total_iters", 5) },
            "PolynomialLR" => new PolynomialLR { InitialLearningRate = lr0, TotalIters = L("total_iters", 5), Power = D("power", 1.0) },
            "LambdaLR" => new LambdaLR(lr0, Lambdas[Callable("lr_lambda")!]),
            "MultiplicativeLR" => new MultiplicativeLR(lr0, Lambdas[Callable("lr_lambda")!]),
            "CyclicLR" => new CyclicLR
            {
                BaseLearningRate = D("base_lr", 0), MaxLearningRate = D("max_lr", 0), StepSizeUp = L("step_size_up", 2000),
                StepSizeDown = k.TryGetProperty("step_size_down", out var down) && down.ValueKind != JsonValueKind.Null ? down.GetInt64() : null,
                Mode = S("mode", "triangular") switch { "triangular" => CyclicalMode.Triangular, "triangular2" => CyclicalMode.Triangular2, _ => CyclicalMode.ExpRange },
                Gamma = D("gamma", 1.0), ScaleFunction = Callable("scale_fn") is { } f ? ScaleFunctions[f] : null,
                ScaleMode = S("scale_mode", "cycle") == "cycle" ? CyclicScaleMode.Cycle : CyclicScaleMode.Iterations,
                CycleMomentum = B("cycle_momentum", true), BaseMomentum = D("base_momentum", 0.8), MaxMomentum = D("max_momentum", 0.9),
            },
            "OneCycleLR" => (k.TryGetProperty("epochs", out _) ? OneCycle.FromEpochs(L("epochs", 0), L("steps_per_epoch", 0)) : new OneCycle { TotalSteps = L("total_steps", 0) }) with
            {
                MaxLearningRate = D("max_lr", 0), PctStart = D("pct_start", 0.3),
                Anneal = S("anneal_strategy", "cos") == "cos" ? AnnealStrategy.Cos : AnnealStrategy.Linear,
                DivFactor = D("div_factor", 25), FinalDivFactor = D("final_div_factor", 1e4), ThreePhase = B("three_phase", false),
                CycleMomentum = B("cycle_momentum", true), BaseMomentum = D("base_momentum", 0.85), MaxMomentum = D("max_momentum", 0.95),
            },
            var other => throw new InvalidOperationException($"scheduler {other} is not mapped"),
        };
    }

    static ReduceLROnPlateau Plateau(JsonElement k) => ReduceLROnPlateau.PyTorch with
    {
        Mode = k.GetProperty("mode").GetString() == "min" ? PlateauMode.Min : PlateauMode.Max,
        Factor = k.TryGetProperty("factor", out var f) ? f.GetDouble() : 0.1,
        Patience = k.TryGetProperty("patience", out var p) ? p.GetInt64() : 10,
        Threshold = k.TryGetProperty("threshold", out var t) ? t.GetDouble() : 1e-4,
        ThresholdMode = k.TryGetProperty("threshold_mode", out var tm) && tm.GetString() == "abs" ? ThresholdMode.Absolute : ThresholdMode.Relative,
        Cooldown = k.TryGetProperty("cooldown", out var cd) ? cd.GetInt64() : 0,
        MinLearningRate = k.TryGetProperty("min_lr", out var m) ? m.GetDouble() : 0,
        Eps = k.TryGetProperty("eps", out var e) ? e.GetDouble() : 1e-8,
    };

    [Fact]
    public void Every_recorded_lr_and_momentum_is_bit_exact_on_both_paths()
    {
        using var doc = TorchFixtures.Load("schedulers.json.gz");
        var counts = new SortedDictionary<string, (long Exact, long Total)>();
        var misses = new List<string>();
        long closedFormMisses = 0;
        void Check(string path, string what, double ours, string torchHex)
        {
            bool same = Ulp.Distance(ours, TorchFixtures.Double(torchHex), NanPolicy.PayloadExact, SignedZeroPolicy.Distinct) == 0;   // the same bits
            var (e, n) = counts.GetValueOrDefault(path);
            counts[path] = (e + (same ? 1 : 0), n + 1);
            if (!same && misses.Count < 20) misses.Add($"{path} {what}: ours {ours:R} torch {TorchFixtures.Double(torchHex):R}");
        }
        int cases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            cases++;
            string name = c.GetProperty("name").GetString()!;
            string[] lr = c.GetProperty("lr").EnumerateArray().Select(x => x.GetString()!).ToArray();
            if (c.GetProperty("scheduler").GetString() == "ReduceLROnPlateau")
            {
                var plateau = Plateau(c.GetProperty("kwargs"));
                var state = plateau.Init(c.GetProperty("optimizer_kwargs").GetProperty("lr").GetDouble());
                Check("reference", $"{name} lr[0]", state.LearningRate, lr[0]);
                var metrics = c.GetProperty("metrics").EnumerateArray().Select(x => TorchFixtures.Double(x.GetString()!)).ToArray();
                for (int t = 1; t < lr.Length; t++)
                {
                    state = plateau.Update(state, metrics[t - 1]);
                    Check("reference", $"{name} lr[{t}]", state.LearningRate, lr[t]);
                }
                continue;
            }
            var spec = Spec(c);
            var fast = FastSchedule.From(spec);
            var filled = new double[lr.Length];
            fast.Fill(0, filled);
            for (int t = 0; t < lr.Length; t++)
            {
                Check("reference", $"{name} lr[{t}]", spec.At(t), lr[t]);
                Check("fast At", $"{name} lr[{t}]", fast.At(t), lr[t]);
                Check("fast Fill", $"{name} lr[{t}]", filled[t], lr[t]);
            }
            // Negative control: the closed forms the Fast path uses without Chainable do not give torch's bits.
            ISchedule? closed = spec switch
            {
                ExponentialLR s => s with { Chainable = false },
                CosineAnnealing s => s with { Chainable = false },
                _ => null,
            };
            if (closed is not null)
                for (int t = 0; t < lr.Length; t++)
                    closedFormMisses += Ulp.Distance(FastSchedule.From(closed).At(t), TorchFixtures.Double(lr[t]), NanPolicy.PayloadExact, SignedZeroPolicy.Distinct) == 0 ? 0 : 1;
            string? key = c.TryGetProperty("momentum", out _) ? "momentum" : c.TryGetProperty("beta1", out _) ? "beta1" : null;
            if (key is null) continue;
            string[] momentum = c.GetProperty(key).EnumerateArray().Select(x => x.GetString()!).ToArray();
            for (int t = 0; t < momentum.Length; t++)
            {
                var (r, f) = spec switch
                {
                    CyclicLR s => (s.MomentumAt(t), ((FastCyclicLR)fast).MomentumAt(t)),
                    OneCycle s => (s.MomentumAt(t), ((FastOneCycle)fast).MomentumAt(t)),
                    _ => throw new InvalidOperationException($"{name} records {key} but {spec.GetType().Name} does not cycle it"),
                };
                Check("reference", $"{name} {key}[{t}]", r, momentum[t]);
                Check("fast At", $"{name} {key}[{t}]", f, momentum[t]);
            }
        }
        output.WriteLine($"schedulers ({cases} cases): " + string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value.Exact}/{kv.Value.Total}")) +
            $"; the closed forms miss {closedFormMisses} of the ExponentialLR and CosineAnnealingLR values");
        foreach (string m in misses) output.WriteLine("  " + m);
        Assert.Empty(misses);
        Assert.True(closedFormMisses > 0, "the closed forms reproduce torch's chainable values, so the fixtures do not tell them apart");
    }
}
