namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares. Adafactor keeps its second moment factored over a tensor's
// last two dimensions, so its state is made for a shape: `initShaped [| rows; cols |] parameters`; `init parameters`
// is the flat (rank 1, unfactored) case.

/// Adafactor (torch 2.5+): options as an F# record and curried update functions (see NetNumerics.Optimizers.AdafactorOptions).
[<RequireQualifiedAccess>]
module Adafactor =
    /// Adafactor hyperparameters; the learning rate is not one of them (it is passed to every update; torch's default 1e-2
    /// is AdafactorOptions.TorchDefaultLearningRate).
    type Options =
        {
          /// beta2_decay <= 0: the new squared gradient's weight at step t is t^Beta2Decay.
          Beta2Decay: float
          /// eps1 >= 0, the floor of the variance estimate and of the row factor's mean; None = the element type's machine epsilon (torch's None).
          Epsilon1: float option
          /// eps2 >= 0, the smallest parameter scale in the relative step max(eps2, RMS(p)).
          Epsilon2: float
          /// d >= 1: the update is divided by max(1, RMS(U)/d).
          ClipThreshold: float
          /// Decoupled weight decay >= 0, p = p*(1 - lr*wd) before the update.
          WeightDecay: float
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
        }

    /// The F# record of one of the library's options records.
    let ofOptions (d: AdafactorOptions) : Options =
        { Beta2Decay = d.Beta2Decay; Epsilon1 = Option.ofNullable d.Epsilon1; Epsilon2 = d.Epsilon2
          ClipThreshold = d.ClipThreshold; WeightDecay = d.WeightDecay; Maximize = d.Maximize }

    /// The library's defaults (AdafactorOptions(): torch's beta2_decay -0.8, eps (None, 1e-3), d 1, wd 0).
    let defaults: Options = ofOptions (AdafactorOptions())

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdafactorOptions =
        AdafactorOptions(Beta2Decay = o.Beta2Decay, Epsilon1 = Option.toNullable o.Epsilon1, Epsilon2 = o.Epsilon2,
                         ClipThreshold = o.ClipThreshold, WeightDecay = o.WeightDecay, Maximize = o.Maximize)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdafactor(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adafactor(toOptions o)

    /// A fresh state for a copy of the parameters of this shape (row-major, product = length), for these options.
    let initShapedWith (o: Options) (shape: int[]) (parameters: 'T[]) : State<'T> = Optimizer.initShaped (fast o) shape parameters

    /// A fresh state for a copy of the parameters of this shape, with the defaults.
    let initShaped (shape: int[]) (parameters: 'T[]) : State<'T> = initShapedWith defaults shape parameters

    /// A fresh state for a copy of the parameters as one flat tensor (the unfactored moment), for these options.
    let initWith (o: Options) (parameters: 'T[]) : State<'T> = Optimizer.init (fast o) parameters

    /// A fresh state for a copy of the parameters as one flat tensor, with the defaults.
    let init (parameters: 'T[]) : State<'T> = initWith defaults parameters

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
