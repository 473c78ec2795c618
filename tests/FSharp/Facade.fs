module NetNumerics.FSharp.Tests.Facade

open System
open Xunit
open NetNumerics.FSharp
open NetNumerics.Optimizers
open NetNumerics.Schedules
open NetNumerics.Testing

// The F# facade (NetNumerics.FSharp): records with defaults and `with`, curried functions, the pure path (a new
// State per step) and the in-place path, Optimizer.fold, and schedules as int64 -> float with combinators.

/// The kit's bit-for-bit assertion on two parameter arrays (its message names the first differing index and both values).
let private sameBits (expected: float32[]) (actual: float32[]) = NumericAssert.BitExact<float32>(ReadOnlySpan expected, ReadOnlySpan actual)
let private differ (a: float32[]) (b: float32[]) = Assert.Throws<NumericAssertException>(fun () -> sameBits a b) |> ignore
let private grads n seed = Array.init n (fun i -> float32 (sin (float (i * 7 + seed))))
let private p0 = Array.init 37 (fun i -> float32 i / 10.0f)

[<Fact>]
let ``Every optimizer's F# defaults convert to the library's default options record`` () =
    Assert.Equal(SgdOptions(), Sgd.toOptions Sgd.defaults)
    Assert.Equal(AdamOptions(), Adam.toOptions Adam.defaults)
    Assert.Equal(AdamWOptions(), AdamW.toOptions AdamW.defaults)
    Assert.Equal(AdagradOptions(), Adagrad.toOptions Adagrad.defaults)
    Assert.Equal(AdadeltaOptions(), Adadelta.toOptions Adadelta.defaults)
    Assert.Equal(RmspropOptions(), Rmsprop.toOptions Rmsprop.defaults)
    Assert.Equal(AdamaxOptions(), Adamax.toOptions Adamax.defaults)
    Assert.Equal(NadamOptions(), Nadam.toOptions Nadam.defaults)
    Assert.Equal(RadamOptions(), Radam.toOptions Radam.defaults)
    Assert.Equal(LionOptions(), Lion.toOptions Lion.defaults)
    Assert.Equal(LambOptions(), Lamb.toOptions Lamb.defaults)
    Assert.Equal(AdafactorOptions(), Adafactor.toOptions Adafactor.defaults)
    Assert.Equal(MuonOptions(), Muon.toOptions Muon.defaults)

[<Fact>]
let ``The PyTorch presets and torch's switches read into the F# records and back`` () =
    Assert.Equal(SgdOptions.PyTorch, Sgd.toOptions Sgd.pytorch)
    Assert.Equal(AdamOptions.PyTorchFused, Adam.toOptions Adam.pytorchFused)
    Assert.Equal(AdamWOptions.PyTorch, AdamW.toOptions AdamW.pytorch)
    Assert.Equal(AdagradOptions.PyTorch, Adagrad.toOptions Adagrad.pytorch)
    Assert.Equal(AdadeltaOptions.PyTorch, Adadelta.toOptions Adadelta.pytorch)
    Assert.Equal(RmspropOptions.PyTorch, Rmsprop.toOptions Rmsprop.pytorch)
    Assert.Equal(AdamaxOptions.PyTorch, Adamax.toOptions Adamax.pytorch)
    Assert.Equal(NadamOptions.PyTorch, Nadam.toOptions Nadam.pytorch)
    Assert.Equal(RadamOptions.PyTorchFused, Radam.toOptions Radam.pytorchFused)
    Assert.Equal(OperationOrder.PyTorch, Adam.pytorch.Order)
    // torch's switches through the with-syntax: maximize, the foreach path, NAdam's momentum_decay
    let nadam = Nadam.toOptions { Nadam.pytorch with Maximize = true; TorchPath = TorchPath.Foreach; MomentumDecay = Some 0.01 }
    Assert.Equal((true, TorchPath.Foreach, 0.01), (nadam.Maximize, nadam.TorchPath, nadam.MomentumDecay))
    Assert.Equal(0.004, (Nadam.toOptions Nadam.pytorch).MomentumDecay)                // None: as the schedule says
    Assert.Equal(None, (Nadam.ofOptions (NadamOptions(Schedule = NadamSchedule.Keras3))).MomentumDecay)
    // a combination torch's order does not allow is refused by the optimizer, naming the option
    let e = Assert.ThrowsAny<ArgumentException>(fun () -> Adam.fast { Adam.pytorch with EpsilonMode = AdamEpsilon.KerasEpsilonHat } |> ignore)
    Assert.Equal("EpsilonMode", e.ParamName)

[<Fact>]
let ``A maximizing torch-order step is the C# optimizer's, bit for bit, and Lion moves every element by lr`` () =
    let g = grads p0.Length 3
    let o = { Adam.pytorch with Maximize = true }
    let mine = Adam.initWith o p0 |> Adam.updateWith o 1e-2 g
    let csharp = NetNumerics.Reference.Optimizers.Adam(Adam.toOptions o)
    let p = Array.copy p0
    csharp.Update(csharp.Init<float32> p.Length, p, g, 1e-2) |> ignore
    sameBits p mine.Parameters
    // Lion's first step: m = 0, so c = (1 - b1) g and every element moves by lr against the sign of its gradient
    let lion = Lion.init p0 |> Lion.update 0.25 g
    sameBits (Array.map2 (fun (p: float32) (gi: float32) -> p - 0.25f * float32 (sign gi)) p0 g) lion.Parameters
    // LAMB through the facade is the C# Fast optimizer's step with the same options, bit for bit
    let lamb = Lamb.init p0 |> Lamb.update 0.01 g
    let csharpLamb = NetNumerics.Fast.Optimizers.FastLamb(LambOptions())
    let q = Array.copy p0
    csharpLamb.Update(csharpLamb.Init<float32> q.Length, q, g, 0.01) |> ignore
    sameBits q lamb.Parameters

[<Fact>]
let ``Adafactor and Muon on a shaped tensor are the C# optimizers' steps, bit for bit, and a wrong shape names itself`` () =
    let shape = [| 4; 9 |]
    let q0 = Array.init 36 (fun i -> float32 (cos (float i)) / 3.0f)
    let g = grads q0.Length 5
    let csharpStep (optimizer: NetNumerics.Optimizers.IOptimizer) lr =
        let q = Array.copy q0
        let state = optimizer.Init<float32>(ReadOnlySpan<int> shape)
        optimizer.Update(state, q, g, lr) |> ignore
        optimizer.Update(state, q, g, lr) |> ignore
        q, state
    // Adafactor's factored moment: row and column factors of the 4 x 9 matrix, not a full moment
    let a0 = Adafactor.initShaped shape q0
    let a2 = a0 |> Adafactor.update 1e-2 g |> Adafactor.update 1e-2 g
    let qa, sa = csharpStep (NetNumerics.Fast.Optimizers.FastAdafactor(AdafactorOptions())) 1e-2
    sameBits qa a2.Parameters
    Assert.Equal<int[]>(Seq.toArray sa.Shape, Seq.toArray a2.Optimizer.Shape)
    Assert.Equal<int[]>(shape, Seq.toArray a2.Optimizer.Shape)
    Assert.Equal(0L, a0.Step)                                                  // the pure path left the first state alone
    sameBits q0 a0.Parameters
    let o = { Adafactor.defaults with Epsilon1 = Some 1e-20; WeightDecay = 0.1 }
    Assert.Equal(AdafactorOptions(Epsilon1 = Nullable 1e-20, WeightDecay = 0.1), Adafactor.toOptions o)
    // Muon with the torch defaults and a non-default fallback read back through the F# records
    let m2 = Muon.initShaped shape q0 |> Muon.update 2e-2 g |> Muon.update 2e-2 g
    let qm, _ = csharpStep (NetNumerics.Fast.Optimizers.FastMuon(MuonOptions())) 2e-2
    sameBits qm m2.Parameters
    let mo = { Muon.defaults with NsSteps = 3; Fallback = { AdamW.defaults with WeightDecay = 0.05 } }
    Assert.Equal(MuonOptions(NsSteps = 3, Fallback = AdamWOptions(WeightDecay = 0.05)), Muon.toOptions mo)
    // the reference twin gives the same bits for Adafactor (its reductions run in the same order)
    let r2 = Optimizer.initShaped (Adafactor.reference Adafactor.defaults) shape q0
             |> Optimizer.update (Adafactor.reference Adafactor.defaults) 1e-2 g
             |> Optimizer.update (Adafactor.reference Adafactor.defaults) 1e-2 g
    sameBits a2.Parameters r2.Parameters
    let e = Assert.Throws<ArgumentException>(fun () -> Muon.initShaped [| 5; 9 |] q0 |> ignore)
    Assert.Equal("shape", e.ParamName)
    Assert.Contains("36 parameters", e.Message)

[<Fact>]
let ``Options change with the record with-syntax, and a bad value names itself`` () =
    let o = { Adam.defaults with Beta2 = 0.99; Amsgrad = true }
    Assert.Equal(AdamOptions(Beta2 = 0.99, Amsgrad = true), Adam.toOptions o)
    Assert.Equal(0.999, Adam.defaults.Beta2)                                 // the defaults are unchanged
    let e = Assert.ThrowsAny<ArgumentException>(fun () -> Adam.toOptions { Adam.defaults with Beta1 = 1.5 } |> ignore)
    Assert.Equal("Beta1", e.ParamName)

[<Fact>]
let ``Curried update gives the same bits as the C# optimizer, on the Fast and the Reference path`` () =
    let o = { Rmsprop.defaults with Centered = true; Momentum = 0.9 }
    let g = grads p0.Length 1
    let mine = Rmsprop.initWith o p0 |> Rmsprop.updateWith o 1e-3 g |> Rmsprop.updateWith o 1e-3 g
    let csharp = NetNumerics.Fast.Optimizers.FastRmsprop(Rmsprop.toOptions o)
    let p = Array.copy p0
    let s = csharp.Init<float32> p.Length
    csharp.Update(s, p, g, 1e-3) |> ignore
    csharp.Update(s, p, g, 1e-3) |> ignore
    sameBits p mine.Parameters
    NumericAssert.BitExact(s, mine.Optimizer)
    let reference = Optimizer.init (Rmsprop.reference o) p0 |> Optimizer.update (Rmsprop.reference o) 1e-3 g |> Optimizer.update (Rmsprop.reference o) 1e-3 g
    sameBits p reference.Parameters

[<Fact>]
let ``The pure path leaves its input alone; the in-place path changes it`` () =
    let s0 = Adam.init p0
    let s1 = Adam.update 1e-2 (grads p0.Length 2) s0
    sameBits p0 s0.Parameters
    Assert.Equal(0L, s0.Step)
    Assert.Equal(1L, s1.Step)
    differ s0.Parameters s1.Parameters
    let s = Adam.init p0
    Adam.updateInPlace 1e-2 (grads p0.Length 2) s
    Assert.Equal(1L, s.Step)
    sameBits s1.Parameters s.Parameters

[<Fact>]
let ``List.scan over the pure path gives distinct states, each equal to the in-place run at that step`` () =
    let gradients = [ for k in 1..6 -> grads p0.Length k ]
    let states = List.scan (fun s g -> Sgd.updateWith { Sgd.defaults with Momentum = 0.9 } 0.1 g s) (Sgd.initWith { Sgd.defaults with Momentum = 0.9 } p0) gradients
    Assert.Equal(7, states.Length)
    Assert.Equal<int64 list>([ 0L .. 6L ], states |> List.map (fun s -> s.Step))
    for a, b in List.pairwise states do
        Assert.False(obj.ReferenceEquals(a.Parameters, b.Parameters))
        Assert.False(obj.ReferenceEquals(a.Optimizer, b.Optimizer))
        differ a.Parameters b.Parameters
    let inPlace = Sgd.initWith { Sgd.defaults with Momentum = 0.9 } p0
    for g, expected in List.zip gradients (List.tail states) do
        Sgd.updateInPlaceWith { Sgd.defaults with Momentum = 0.9 } 0.1 g inPlace
        sameBits expected.Parameters inPlace.Parameters
        NumericAssert.BitExact(expected.Optimizer, inPlace.Optimizer)

[<Fact>]
let ``Optimizer.fold applies a schedule over a gradient sequence without touching its input`` () =
    let schedule = Schedule.cosine 0.1 10L |> Schedule.warmup 3L
    let gradients = Seq.init 12 (fun k -> grads p0.Length k)
    let start = Nadam.init p0
    let folded = start |> Optimizer.fold (Nadam.fast Nadam.defaults) schedule gradients
    let manual = gradients |> Seq.fold (fun (s: State<float32>) g -> Nadam.update (schedule s.Step) g s) start
    Assert.Equal(12L, folded.Step)
    Assert.Equal(0L, start.Step)
    sameBits manual.Parameters folded.Parameters
    NumericAssert.BitExact(manual.Optimizer, folded.Optimizer)

[<Fact>]
let ``Schedules are functions: warm-up then cosine equals the library's joined records bit for bit`` () =
    let mine = Schedule.cosine 0.1 100L |> Schedule.warmup 5L
    let records =
        NetNumerics.Reference.Schedules.JoinedSchedule(
            [| NetNumerics.Reference.Schedules.LinearWarmup(InitialLearningRate = 0.0, TargetLearningRate = 0.1, WarmupSteps = 5L) :> ISchedule
               NetNumerics.Reference.Schedules.CosineDecay(InitialLearningRate = 0.1, DecaySteps = 100L) |], [| 5L |])
    for t in 0L .. 120L do
        NumericAssert.BitExact(records.At t, mine t, label = $"step {t}")
    Assert.Equal(0.0, mine 0L)
    Assert.Equal(0.1, mine 5L)

[<Fact>]
let ``Schedule combinators compose with >> and agree with the grammar and the Fast path`` () =
    let shape = Schedule.warmup 5L >> Schedule.scale 0.5 >> Schedule.atLeast 1e-4
    let s = shape (Schedule.exponential 0.1 0.5 10L)
    Assert.Equal(0.0 |> max 1e-4, s 0L)
    Assert.Equal(0.5 * 0.1 * Math.Pow(0.5, 1.0), s 15L)
    Assert.Equal(1e-4, s 10_000L)
    let parsed = Schedule.parse "cosine:steps=100" 0.1
    let fast = Schedule.fast (NetNumerics.Reference.Schedules.CosineDecay(InitialLearningRate = 0.1, DecaySteps = 100L))
    Assert.Equal<float[]>(Schedule.values 0L 150 (Schedule.cosine 0.1 100L), Schedule.values 0L 150 parsed)
    Assert.Equal<float[]>(Schedule.values 0L 150 (Schedule.cosine 0.1 100L), Schedule.values 0L 150 fast)
    Assert.Throws<ArgumentOutOfRangeException>(fun () -> Schedule.cosine 0.1 0L |> ignore) |> ignore
    let product = Schedule.constant 2.0 |> Schedule.product (Schedule.constant 0.25)
    Assert.Equal(0.5, product 3L)
    let joined = Schedule.constant 1.0 |> Schedule.join 3L (Schedule.linear 1.0 0.0 4L)
    Assert.Equal<float[]>([| 1.0; 1.0; 1.0; 1.0; 0.75; 0.5; 0.25; 0.0 |], Schedule.values 0L 8 joined)

[<Fact>]
let ``WSD and inverse-sqrt are functions with the records' bits`` () =
    let wsd = Schedule.wsd 0.1 10L 50L 40L
    let record = NetNumerics.Reference.Schedules.WarmupStableDecay(LearningRate = 0.1, WarmupSteps = 10L, StableSteps = 50L, DecaySteps = 40L)
    NumericAssert.BitExact<float>(ReadOnlySpan(Array.init 120 (fun t -> record.At(int64 t))), ReadOnlySpan(Schedule.values 0L 120 wsd))
    Assert.Equal((0.0, 0.1, 0.1, 0.0), (wsd 0L, wsd 10L, wsd 60L, wsd 100L))
    let inv = Schedule.inverseSqrt 1e-3 100L
    Assert.Equal((0.0, 1e-3, 1e-3 * sqrt (100.0 / 400.0)), (inv 0L, inv 100L, inv 400L))
    Assert.Throws<ArgumentOutOfRangeException>(fun () -> Schedule.inverseSqrt 1e-3 0L |> ignore) |> ignore
