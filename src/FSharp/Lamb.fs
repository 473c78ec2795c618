namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

/// LAMB: options as an F# record and curried update functions (see NetNumerics.Optimizers.LambOptions).
[<RequireQualifiedAccess>]
module Lamb =
    /// LAMB hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// b1 in [0, 1): decay of the first moment.
          Beta1: float
          /// b2 in [0, 1): decay of the second moment.
          Beta2: float
          /// eps > 0, added to sqrt(v_hat).
          Epsilon: float
          /// Decoupled weight decay >= 0, inside u (and so inside the trust ratio): u = adam + wd*p.
          WeightDecay: float
          /// Divide the moments by 1 - b^t.
          BiasCorrection: bool
          /// Clamp the trust ratio at 1 (timm's trust_clip).
          TrustClip: bool
        }

    /// The F# record of one of the library's options records.
    let ofOptions (d: LambOptions) : Options =
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; WeightDecay = d.WeightDecay
          BiasCorrection = d.BiasCorrection; TrustClip = d.TrustClip }

    /// The library's defaults (LambOptions(): Optax's b1 0.9, b2 0.999, eps 1e-6, wd 0, bias correction, no clip).
    let defaults: Options = ofOptions (LambOptions())

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : LambOptions =
        LambOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, WeightDecay = o.WeightDecay,
                    BiasCorrection = o.BiasCorrection, TrustClip = o.TrustClip)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastLamb(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Lamb(toOptions o)

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
