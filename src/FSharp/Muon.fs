namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares. Muon orthogonalizes a matrix's update, so its state is made
// for a shape of rank 2 ([rows; cols]) or 4 (a convolution kernel [out; in; kh; kw]): `initShaped shape parameters`.
// The other tensors of a model go to AdamW (Fallback), as MuonGrouping routes them in NetNumerics.Training.

/// Muon (torch 2.9): options as an F# record and curried update functions (see NetNumerics.Optimizers.MuonOptions).
[<RequireQualifiedAccess>]
module Muon =
    /// Muon hyperparameters; the learning rate is not one of them (it is passed to every update; torch's default 1e-3).
    type Options =
        {
          /// The momentum mu in [0, 1).
          Momentum: float
          /// Orthogonalize lerp(g, B, mu) instead of B.
          Nesterov: bool
          /// Decoupled weight decay >= 0, p = p*(1 - lr*wd) before the step.
          WeightDecay: float
          /// The Newton-Schulz quintic's coefficient a.
          A: float
          /// The quintic's coefficient b.
          B: float
          /// The quintic's coefficient c.
          C: float
          /// Newton-Schulz iterations, 0 to 99.
          NsSteps: int
          /// The floor (> 0) of the Frobenius norm the update is divided by.
          Epsilon: float
          /// The shape scaling of the learning rate.
          LrAdjustment: MuonLrAdjustment
          /// The optimizer of the tensors Muon does not take, in a parameter grouping.
          Fallback: AdamW.Options
          /// The fallback's learning rate as a multiple of the run's (>= 0).
          FallbackLrScale: float
        }

    /// The F# record of one of the library's options records.
    let ofOptions (d: MuonOptions) : Options =
        { Momentum = d.Momentum; Nesterov = d.Nesterov; WeightDecay = d.WeightDecay; A = d.A; B = d.B; C = d.C
          NsSteps = d.NsSteps; Epsilon = d.Epsilon; LrAdjustment = d.LrAdjustment
          Fallback = AdamW.ofOptions d.Fallback; FallbackLrScale = d.FallbackLrScale }

    /// The library's defaults (MuonOptions(): torch's mu 0.95, Nesterov, wd 0.1, (3.4445, -4.7750, 2.0315), 5 steps, eps
    /// 1e-7, the original lr adjustment, torch's AdamW as the fallback).
    let defaults: Options = ofOptions (MuonOptions())

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : MuonOptions =
        MuonOptions(Momentum = o.Momentum, Nesterov = o.Nesterov, WeightDecay = o.WeightDecay, A = o.A, B = o.B, C = o.C,
                    NsSteps = o.NsSteps, Epsilon = o.Epsilon, LrAdjustment = o.LrAdjustment,
                    Fallback = AdamW.toOptions o.Fallback, FallbackLrScale = o.FallbackLrScale)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastMuon(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Muon(toOptions o)

    /// A fresh state for a copy of the parameters of this shape (rank 2 or 4, row-major, product = length), for these options.
    let initShapedWith (o: Options) (shape: int[]) (parameters: 'T[]) : State<'T> = Optimizer.initShaped (fast o) shape parameters

    /// A fresh state for a copy of the parameters of this shape, with the defaults.
    let initShaped (shape: int[]) (parameters: 'T[]) : State<'T> = initShapedWith defaults shape parameters

    /// One step with these options, pure: returns a new State.
    let updateWith (o: Options) (learningRate: float) (gradients: 'T[]) (state: State<'T>) : State<'T> =
        Optimizer.update (fast o) learningRate gradients state

    /// One step with the defaults, pure: returns a new State.
    let update (learningRate: float) (gradients: 'T[]) (state: State<'T>) : State<'T> = updateWith defaults learningRate gradients state

    /// One step with these options, in place: the State's arrays change.
    let updateInPlaceWith (o: Options) (learningRate: float) (gradients: 'T[]) (state: State<'T>) : unit =
        Optimizer.updateInPlace (fast o) learningRate gradients state

    /// One step with the defaults, in place: the State's arrays change.
    let updateInPlace (learningRate: float) (gradients: 'T[]) (state: State<'T>) : unit = updateInPlaceWith defaults learningRate gradients state
