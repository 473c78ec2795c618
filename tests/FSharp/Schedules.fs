module NetNumerics.FSharp.Tests.Schedules

open System
open Xunit
open NetNumerics
open NetNumerics.Schedules
open NetNumerics.Fast.Schedules
open NetNumerics.Reference.Schedules
open NetNumerics.Testing


[<Fact>]
let ``records are built with named properties and evaluated as functions of the step`` () =
    let step = StepDecay(InitialLearningRate = 0.1, Drop = 0.5, EpochsDrop = 10L)
    let lrs = [ for t in 0L .. 29L -> step.At t ]
    // piecewise constant, halves every 10 epochs, never increases
    Assert.True(lrs |> List.pairwise |> List.forall (fun (a, b) -> b <= a))
    Assert.Equal(3, lrs |> List.distinct |> List.length)
    Assert.Equal(step.At 0L / 2.0, step.At 10L)
    Assert.Equal("step:lr=0.1,drop=0.5,every=10,form=epoch", string step)
    // records compare by value and copy with `with`-style expressions from F#
    let later = StepDecay(InitialLearningRate = 0.1, Drop = 0.5, EpochsDrop = 10L, Form = StepDecayForm.EpochPlusOne)
    Assert.Equal(step.At 10L, later.At 9L)

[<Fact>]
let ``a lambda is a schedule, and combinators join and multiply schedules`` () =
    let inverseSqrt = FunctionSchedule((fun t -> 0.1 / sqrt (1.0 + float t)), "inv-sqrt")
    let warmup = LinearWarmup(InitialLearningRate = 0.0, TargetLearningRate = 1.0, WarmupSteps = 100L)
    let cosine = CosineDecay(InitialLearningRate = 0.1, DecaySteps = 1000L, Alpha = 0.01)
    let warmCosine = ProductSchedule(warmup, cosine)
    let joined = JoinedSchedule([| warmup :> ISchedule; inverseSqrt |], [| 100L |])
    Assert.Equal(0.0, warmCosine.At 0L)
    Assert.Equal(cosine.At 500L, warmCosine.At 500L)
    // after the boundary the second schedule sees the step relative to it
    Assert.Equal(inverseSqrt.At 0L, joined.At 100L)
    Assert.Equal(inverseSqrt.At 23L, joined.At 123L)
    Assert.Equal(warmup.At 50L, joined.At 50L)
    // a lambda returning NaN is reported, not passed on
    let bad = FunctionSchedule(fun t -> if t = 7L then nan else 0.1)
    Assert.Throws<InvalidOperationException>(fun () -> bad.At 7L |> ignore) |> ignore

[<Fact>]
let ``fast range fill matches the reference records bit for bit`` () =
    let schedules : ISchedule list =
        [ TimeBasedDecay(InitialLearningRate = 0.1, DecayRate = 1e-3)
          CosineWarmRestarts(InitialLearningRate = 0.1, FirstPeriod = 10L, PeriodMultiplier = 2L, MinLearningRate = 1e-4)
          CyclicalLearningRate(BaseLearningRate = 1e-3, MaxLearningRate = 6e-3, StepSize = 20L, Mode = CyclicalMode.Triangular2)
          OneCycle(MaxLearningRate = 0.1, TotalSteps = 300L, ThreePhase = true) ]
    for s in schedules do
        let fast = FastSchedule.From s
        let range = Array.zeroCreate<float> 300
        fast.Fill(1L, range)
        let expected = Array.init range.Length (fun i -> s.At(1L + int64 i))
        NumericAssert.BitExact<float>(ReadOnlySpan expected, ReadOnlySpan range, label = string s)

[<Fact>]
let ``cyclical and warm-restart laws hold from F#`` () =
    let clr = CyclicalLearningRate(BaseLearningRate = 0.001, MaxLearningRate = 0.006, StepSize = 8L)
    let values = [ for t in 0L .. 200L -> clr.At t ]
    Assert.True(values |> List.forall (fun v -> v >= 0.001 && v <= Math.BitIncrement 0.006))
    Assert.Equal(0.006, clr.At 8L)
    // period 2 * step size; with a power-of-two step size it/step_size and x are exact, so the bits repeat
    for t in 0L .. 100L do
        NumericAssert.BitExact(clr.At t, clr.At(t + 16L), label = $"step {t} and {t + 16L}")
    let sgdr = CosineWarmRestarts(InitialLearningRate = 0.1, FirstPeriod = 5L, PeriodMultiplier = 2L)
    for restart in [ 0L; 5L; 15L; 35L ] do
        NumericAssert.BitExact(sgdr.At 0L, sgdr.At restart, label = $"step 0 and the restart at {restart}")
        if restart > 0L then Assert.True(sgdr.At(restart - 1L) < sgdr.At restart)

[<Fact>]
let ``reduce on plateau state is an immutable record threaded through a fold`` () =
    let plateau = ReduceLROnPlateau(Patience = 2L, Factor = 0.5, MinLearningRate = 0.02)
    let losses = [ 1.0; 0.9; 0.9; 0.9; 0.9; 0.9; 0.9; 0.9; 0.9; 0.9 ]
    let states = losses |> List.scan (fun s loss -> plateau.Update(s, loss)) (plateau.Init 0.1)
    let lrs = states |> List.map (fun s -> s.LearningRate)
    Assert.True(lrs |> List.pairwise |> List.forall (fun (a, b) -> b <= a))
    Assert.True(lrs |> List.forall (fun lr -> lr >= 0.02))
    Assert.Equal(0.02, List.last lrs)
    // a saved state (its fields) restores the run exactly
    let mid = states.[4]
    let restored = PlateauState(mid.LearningRate, mid.Best, mid.BadEpochs, mid.CooldownCounter, mid.Epochs)
    let resumed = losses |> List.skip 4 |> List.fold (fun s loss -> plateau.Update(s, loss)) restored
    Assert.Equal(List.last states, resumed)

[<Fact>]
let ``the parser builds schedules from CLI strings and reports bad ones`` () =
    let s = ScheduleParser.Parse("sgdr:t0=10,tmult=2,min=0.001", 0.05)
    Assert.IsType<CosineWarmRestarts>(s) |> ignore
    Assert.Equal(0.05, s.At 0L)
    let ex = Assert.Throws<ArgumentException>(fun () -> ScheduleParser.Parse("sgdr:t1=10", 0.05) |> ignore)
    Assert.Contains("unknown key 't1'", ex.Message)
