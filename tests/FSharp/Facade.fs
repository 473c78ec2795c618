module NetNumerics.FSharp.Tests.Facade

open System
open Xunit
open NetNumerics.FSharp
open NetNumerics.Optimizers
open NetNumerics.Schedules

// The F# facade (NetNumerics.FSharp): records with defaults and `with`, curried functions, the pure path (a new
// State per step) and the in-place path, Optimizer.fold, and schedules as int64 -> float with combinators.

let private bits (xs: float32[]) = xs |> Array.map BitConverter.SingleToInt32Bits
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
    Assert.Equal<int[]>(bits p, bits mine.Parameters)
    Assert.True(s.BitEquals mine.Optimizer)
    let reference = Optimizer.init (Rmsprop.reference o) p0 |> Optimizer.update (Rmsprop.reference o) 1e-3 g |> Optimizer.update (Rmsprop.reference o) 1e-3 g
    Assert.Equal<int[]>(bits p, bits reference.Parameters)

[<Fact>]
let ``The pure path leaves its input alone; the in-place path changes it`` () =
    let s0 = Adam.init p0
    let s1 = Adam.update 1e-2 (grads p0.Length 2) s0
    Assert.Equal<int[]>(bits p0, bits s0.Parameters)
    Assert.Equal(0L, s0.Step)
    Assert.Equal(1L, s1.Step)
    Assert.NotEqual<int[]>(bits s0.Parameters, bits s1.Parameters)
    let s = Adam.init p0
    Adam.updateInPlace 1e-2 (grads p0.Length 2) s
    Assert.Equal(1L, s.Step)
    Assert.Equal<int[]>(bits s1.Parameters, bits s.Parameters)

[<Fact>]
let ``List.scan over the pure path gives distinct states, each equal to the in-place run at that step`` () =
    let gradients = [ for k in 1..6 -> grads p0.Length k ]
    let states = List.scan (fun s g -> Sgd.updateWith { Sgd.defaults with Momentum = 0.9 } 0.1 g s) (Sgd.initWith { Sgd.defaults with Momentum = 0.9 } p0) gradients
    Assert.Equal(7, states.Length)
    Assert.Equal<int64 list>([ 0L .. 6L ], states |> List.map (fun s -> s.Step))
    for a, b in List.pairwise states do
        Assert.False(obj.ReferenceEquals(a.Parameters, b.Parameters))
        Assert.False(obj.ReferenceEquals(a.Optimizer, b.Optimizer))
        Assert.NotEqual<int[]>(bits a.Parameters, bits b.Parameters)
    let inPlace = Sgd.initWith { Sgd.defaults with Momentum = 0.9 } p0
    for g, expected in List.zip gradients (List.tail states) do
        Sgd.updateInPlaceWith { Sgd.defaults with Momentum = 0.9 } 0.1 g inPlace
        Assert.Equal<int[]>(bits expected.Parameters, bits inPlace.Parameters)
        Assert.True(expected.Optimizer.BitEquals inPlace.Optimizer)

[<Fact>]
let ``Optimizer.fold applies a schedule over a gradient sequence without touching its input`` () =
    let schedule = Schedule.cosine 0.1 10L |> Schedule.warmup 3L
    let gradients = Seq.init 12 (fun k -> grads p0.Length k)
    let start = Nadam.init p0
    let folded = start |> Optimizer.fold (Nadam.fast Nadam.defaults) schedule gradients
    let manual = gradients |> Seq.fold (fun (s: State<float32>) g -> Nadam.update (schedule s.Step) g s) start
    Assert.Equal(12L, folded.Step)
    Assert.Equal(0L, start.Step)
    Assert.Equal<int[]>(bits manual.Parameters, bits folded.Parameters)
    Assert.True(manual.Optimizer.BitEquals folded.Optimizer)

[<Fact>]
let ``Schedules are functions: warm-up then cosine equals the library's joined records bit for bit`` () =
    let mine = Schedule.cosine 0.1 100L |> Schedule.warmup 5L
    let records =
        NetNumerics.Reference.Schedules.JoinedSchedule(
            [| NetNumerics.Reference.Schedules.LinearWarmup(InitialLearningRate = 0.0, TargetLearningRate = 0.1, WarmupSteps = 5L) :> ISchedule
               NetNumerics.Reference.Schedules.CosineDecay(InitialLearningRate = 0.1, DecaySteps = 100L) |], [| 5L |])
    for t in 0L .. 120L do
        Assert.Equal(BitConverter.DoubleToInt64Bits(records.At t), BitConverter.DoubleToInt64Bits(mine t))
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
