module NetNumerics.FSharp.Tests.Optimizers

open System
open Xunit
open NetNumerics
open NetNumerics.Optimizers
open NetNumerics.Reference.Optimizers
open NetNumerics.Fast.Optimizers

/// f(p) = 1/2 * sum (p_i - c_i)^2, minimum at c, gradient p - c.
let private target = [| 3.0; -2.0; 0.5; 10.0; -7.0 |]
let private gradient (p: float[]) = Array.map2 (-) p target
let private distance (p: float[]) = Array.map2 (-) p target |> Array.sumBy (fun d -> d * d) |> sqrt

/// Fold an optimizer over `steps` updates with explicit state: (state, parameters) in, (state, parameters) out.
let private train (optimizer: IOptimizer) (lr: int64 -> float) steps =
    let p0 = Array.zeroCreate<float> target.Length
    let state0 = optimizer.Init<float> p0.Length
    [ 0L .. int64 steps - 1L ]
    |> List.fold
        (fun (state: OptimizerState<float>, p: float[]) step ->
            let p' = Array.copy p
            let state' = optimizer.Update(state, p', gradient p, lr step)
            state', p')
        (state0, p0)

let private bothPaths options =
    [ Reference.Optimizers.ReferenceOptimizers.For options; Fast.Optimizers.FastOptimizers.For options ]

[<Fact>]
let ``Adam folded over steps moves the parameters toward the minimum of a quadratic`` () =
    for optimizer in bothPaths (AdamOptions(Beta1 = 0.9, EpsilonMode = AdamEpsilon.PaperAlgorithm1)) do
        let state, p = train optimizer (fun _ -> 0.1) 500
        Assert.Equal(500L, state.Step)
        Assert.True(distance p < 0.05 * distance (Array.zeroCreate target.Length), sprintf "%A" p)

[<Fact>]
let ``Every optimizer decreases the distance to the minimum, with a schedule given as a function`` () =
    let options: IOptimizerOptions list =
        [ SgdOptions(Momentum = 0.9)
          SgdOptions(Momentum = 0.9, Nesterov = true, MomentumForm = MomentumForm.PyTorch)
          AdagradOptions(InitialAccumulatorValue = 0.1)
          AdadeltaOptions(Rho = 0.9, Epsilon = 1e-2)   // the first steps are ~sqrt(eps): Keras 1e-7 barely moves in 300 steps
          RmspropOptions(Centered = true)
          AdamOptions(Amsgrad = true)
          AdamWOptions(WeightDecay = 1e-4)
          AdamaxOptions()
          NadamOptions(Schedule = NadamSchedule.Keras3)
          RadamOptions() ]
    let lrFor (o: IOptimizerOptions) =
        match o with
        | :? AdadeltaOptions
        | :? AdagradOptions -> fun (_: int64) -> 1.0   // steps shrink like lr/sqrt(t): needs a larger lr
        | :? SgdOptions -> fun step -> 0.05 / (1.0 + 0.01 * float step)   // Keras 2 `decay` = inverse time
        | _ -> fun step -> 0.1 / (1.0 + 0.01 * float step)
    for o in options do
        for optimizer in bothPaths o do
            let _, p = train optimizer (lrFor o) 300
            let start = distance (Array.zeroCreate target.Length)
            Assert.True(distance p < 0.5 * start, sprintf "%s: %A" optimizer.Name p)

[<Fact>]
let ``Options are immutable records and a bad value names the option`` () =
    let a = AdamOptions()
    let b = AdamOptions(Beta2 = 0.99)
    Assert.NotEqual(a, b)
    Assert.Equal(AdamOptions(), a)
    let ex = Assert.ThrowsAny<ArgumentException>(fun () -> AdamOptions(Beta1 = 1.5) |> ignore)
    Assert.Equal("Beta1", ex.ParamName)
