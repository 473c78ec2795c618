namespace NetNumerics.FSharp

open System
open System.Numerics
open NetNumerics.Optimizers

/// Parameters and the optimizer state that goes with them, as one value. The pure functions
/// (<c>Optimizer.update</c>, <c>Adam.update</c>, ...) never change a State: they return a new one with its own
/// arrays, so <c>List.scan</c> over them yields distinct states. The in-place functions (<c>...InPlace</c>)
/// change the given State's arrays and return nothing.
type State<'T when 'T: unmanaged and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType and 'T :> IFloatingPointIeee754<'T>> =
    { /// The parameter tensor, flat.
      Parameters: 'T[]
      /// The optimizer's state for it (step count and slots).
      Optimizer: OptimizerState<'T> }

    /// Updates applied so far.
    member s.Step = s.Optimizer.Step

    /// A deep copy: new parameter array, cloned optimizer state.
    member s.Copy() =
        { Parameters = Array.copy s.Parameters; Optimizer = s.Optimizer.Clone() }

/// Optimizer-independent functions over any <see cref="T:NetNumerics.Optimizers.IOptimizer"/> (Reference or Fast).
[<RequireQualifiedAccess>]
module Optimizer =

    /// A fresh state for a copy of these parameters.
    let init (optimizer: IOptimizer) (parameters: 'T[]) : State<'T> =
        { Parameters = Array.copy parameters; Optimizer = optimizer.Init<'T>(parameters.Length) }

    /// A fresh state for a copy of these parameters as a tensor of this shape (row-major: the product of the dimensions is
    /// the length), for the optimizers that keep per-shape state (Adafactor's factored moment, Muon's matrix); the others
    /// give the same state as <c>init</c>. A shape that does not match raises ArgumentException naming both.
    let initShaped (optimizer: IOptimizer) (shape: int[]) (parameters: 'T[]) : State<'T> =
        let elements = shape |> Array.fold (fun acc d -> if d < 0 then -1L else acc * int64 d) 1L
        if elements <> int64 parameters.Length then
            invalidArg "shape" (sprintf "shape %A has %d elements, but there are %d parameters" shape elements parameters.Length)
        { Parameters = Array.copy parameters; Optimizer = optimizer.Init<'T>(ReadOnlySpan<int>(shape)) }

    /// One step, pure: a new State with the step applied; the given one is unchanged.
    let update (optimizer: IOptimizer) (learningRate: float) (gradients: 'T[]) (state: State<'T>) : State<'T> =
        let next = state.Copy()
        optimizer.Update<'T>(next.Optimizer, next.Parameters.AsSpan(), ReadOnlySpan<'T>(gradients), learningRate) |> ignore
        next

    /// One step, in place: the given State's parameters and optimizer state change.
    let updateInPlace (optimizer: IOptimizer) (learningRate: float) (gradients: 'T[]) (state: State<'T>) : unit =
        optimizer.Update<'T>(state.Optimizer, state.Parameters.AsSpan(), ReadOnlySpan<'T>(gradients), learningRate) |> ignore

    /// Applies one step per gradient, the learning rate of each step from the schedule at the state's step count
    /// (0 for the first update). Copies the state once, then updates the copy in place; returns the copy.
    let fold (optimizer: IOptimizer) (schedule: int64 -> float) (gradients: seq<'T[]>) (state: State<'T>) : State<'T> =
        let s = state.Copy()
        for g in gradients do
            updateInPlace optimizer (schedule s.Optimizer.Step) g s
        s
