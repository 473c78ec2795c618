namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

/// Lion: options as an F# record and curried update functions (see NetNumerics.Optimizers.LionOptions).
[<RequireQualifiedAccess>]
module Lion =
    /// Lion hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// b1 in [0, 1): the weight of the old momentum in the interpolation whose sign is the update.
          Beta1: float
          /// b2 in [0, 1): the decay of the momentum carried to the next step.
          Beta2: float
          /// Decoupled weight decay >= 0, inside the step: p = p - lr*(sign(c) + wd*p).
          WeightDecay: float
        }

    /// The F# record of one of the library's options records.
    let ofOptions (d: LionOptions) : Options =
        { Beta1 = d.Beta1; Beta2 = d.Beta2; WeightDecay = d.WeightDecay }

    /// The library's defaults (LionOptions(): Keras 3's and Optax's b1 0.9, b2 0.99).
    let defaults: Options = ofOptions (LionOptions())

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : LionOptions =
        LionOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, WeightDecay = o.WeightDecay)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastLion(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Lion(toOptions o)

    /// A fresh state for a copy of the parameters, for these options.
    let initWith (o: Options) (parameters: 'T[]) : State<'T> = Optimizer.init (fast o) parameters

    /// A fresh state for a copy of the parameters, with the defaults.
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
