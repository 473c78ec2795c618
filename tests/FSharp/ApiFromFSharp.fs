module NetNumerics.FSharp.Tests.ApiFromFSharp

open System
open Xunit
open NetNumerics
open NetNumerics.Optimizers
open NetNumerics.Reference.Optimizers
open NetNumerics.Nn

[<Fact>]
let ``optimizer state is usable from F# without C#-only syntax`` () =
    let state = OptimizerState<float>("sgd", 4, [ "velocity" ])
    state.Step <- 2L
    (state.Slot "velocity").Span.[1] <- 0.5
    let copy = state.Clone()
    Assert.True(copy.BitEquals state)
    Assert.Equal<float[]>([| 0.0; 0.5; 0.0; 0.0 |], (copy.Slot "velocity").ToArray())
    Assert.Throws<ArgumentException>(fun () -> state.Slot "m" |> ignore) |> ignore
