namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// One module per optimizer: an F# record of its options (defaults = the library's defaults; change them with
// `{ Adam.defaults with Beta2 = 0.99 }`), its conversion to the library's options record (whose setters check every
// value), the Fast (vectorized) and Reference (specification) optimizers for it, and curried functions:
// `init parameters`, `update lr grad state` (pure: returns a new State), `updateInPlace lr grad state`, each also
// `...With options`. The plain forms use the defaults and the Fast path; both paths give the same bits.

/// SGD: plain, momentum (Keras or PyTorch form), Nesterov, weight decay: options as an F# record and curried update functions (see NetNumerics.Optimizers.SgdOptions).
[<RequireQualifiedAccess>]
module Sgd =
    /// SGD: plain, momentum (Keras or PyTorch form), Nesterov, weight decay hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// Momentum m in [0, 1); 0 is plain SGD.
          Momentum: float
          /// Nesterov momentum (needs Momentum > 0).
          Nesterov: bool
          /// PyTorch dampening in [0, 1) (PyTorch form only).
          Dampening: float
          /// Keras (lr inside the velocity) or PyTorch (lr outside).
          MomentumForm: MomentumForm
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 (added to the gradient) or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (SgdOptions()).
    let defaults: Options =
        let d = SgdOptions()
        { Momentum = d.Momentum; Nesterov = d.Nesterov; Dampening = d.Dampening; MomentumForm = d.MomentumForm; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : SgdOptions =
        SgdOptions(Momentum = o.Momentum, Nesterov = o.Nesterov, Dampening = o.Dampening, MomentumForm = o.MomentumForm, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastSgd(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Sgd(toOptions o)

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

/// Adam and AMSGrad: options as an F# record and curried update functions (see NetNumerics.Optimizers.AdamOptions).
[<RequireQualifiedAccess>]
module Adam =
    /// Adam and AMSGrad hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// First-moment decay in [0, 1).
          Beta1: float
          /// Second-moment decay in [0, 1).
          Beta2: float
          /// Epsilon > 0.
          Epsilon: float
          /// AMSGrad: divide by the running maximum of v.
          Amsgrad: bool
          /// Keras eps-hat or the paper's Algorithm 1.
          EpsilonMode: AdamEpsilon
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (AdamOptions()).
    let defaults: Options =
        let d = AdamOptions()
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; Amsgrad = d.Amsgrad; EpsilonMode = d.EpsilonMode; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdamOptions =
        AdamOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Amsgrad = o.Amsgrad, EpsilonMode = o.EpsilonMode, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdam(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adam(toOptions o)

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

/// AdamW: Adam with decoupled weight decay: options as an F# record and curried update functions (see NetNumerics.Optimizers.AdamWOptions).
[<RequireQualifiedAccess>]
module AdamW =
    /// AdamW: Adam with decoupled weight decay hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// First-moment decay in [0, 1).
          Beta1: float
          /// Second-moment decay in [0, 1).
          Beta2: float
          /// Epsilon > 0.
          Epsilon: float
          /// AMSGrad variant.
          Amsgrad: bool
          /// Keras eps-hat or the paper's Algorithm 1.
          EpsilonMode: AdamEpsilon
          /// Decoupled weight decay >= 0.
          WeightDecay: float
        }

    /// The library's defaults (AdamWOptions()).
    let defaults: Options =
        let d = AdamWOptions()
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; Amsgrad = d.Amsgrad; EpsilonMode = d.EpsilonMode; WeightDecay = d.WeightDecay }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdamWOptions =
        AdamWOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Amsgrad = o.Amsgrad, EpsilonMode = o.EpsilonMode, WeightDecay = o.WeightDecay)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdam(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adam(toOptions o)

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

/// Adagrad: options as an F# record and curried update functions (see NetNumerics.Optimizers.AdagradOptions).
[<RequireQualifiedAccess>]
module Adagrad =
    /// Adagrad hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// Starting value of the accumulator, >= 0.
          InitialAccumulatorValue: float
          /// Epsilon > 0.
          Epsilon: float
          /// Inside the square root (Keras) or outside (PyTorch).
          EpsilonPlacement: EpsilonPlacement
          /// PyTorch lr_decay >= 0.
          LrDecay: float
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (AdagradOptions()).
    let defaults: Options =
        let d = AdagradOptions()
        { InitialAccumulatorValue = d.InitialAccumulatorValue; Epsilon = d.Epsilon; EpsilonPlacement = d.EpsilonPlacement; LrDecay = d.LrDecay; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdagradOptions =
        AdagradOptions(InitialAccumulatorValue = o.InitialAccumulatorValue, Epsilon = o.Epsilon, EpsilonPlacement = o.EpsilonPlacement, LrDecay = o.LrDecay, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdagrad(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adagrad(toOptions o)

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

/// Adadelta: options as an F# record and curried update functions (see NetNumerics.Optimizers.AdadeltaOptions).
[<RequireQualifiedAccess>]
module Adadelta =
    /// Adadelta hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// Decay in [0, 1).
          Rho: float
          /// Epsilon > 0.
          Epsilon: float
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (AdadeltaOptions()).
    let defaults: Options =
        let d = AdadeltaOptions()
        { Rho = d.Rho; Epsilon = d.Epsilon; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdadeltaOptions =
        AdadeltaOptions(Rho = o.Rho, Epsilon = o.Epsilon, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdadelta(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adadelta(toOptions o)

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

/// RMSprop: plain, centered, with momentum: options as an F# record and curried update functions (see NetNumerics.Optimizers.RmspropOptions).
[<RequireQualifiedAccess>]
module Rmsprop =
    /// RMSprop: plain, centered, with momentum hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// Decay in [0, 1).
          Rho: float
          /// Epsilon > 0.
          Epsilon: float
          /// Momentum in [0, 1).
          Momentum: float
          /// Centered (subtract the mean gradient squared).
          Centered: bool
          /// Inside the square root (Keras) or outside (PyTorch).
          EpsilonPlacement: EpsilonPlacement
          /// Keras (lr inside the buffer) or PyTorch.
          MomentumForm: MomentumForm
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (RmspropOptions()).
    let defaults: Options =
        let d = RmspropOptions()
        { Rho = d.Rho; Epsilon = d.Epsilon; Momentum = d.Momentum; Centered = d.Centered; EpsilonPlacement = d.EpsilonPlacement; MomentumForm = d.MomentumForm; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : RmspropOptions =
        RmspropOptions(Rho = o.Rho, Epsilon = o.Epsilon, Momentum = o.Momentum, Centered = o.Centered, EpsilonPlacement = o.EpsilonPlacement, MomentumForm = o.MomentumForm, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastRmsprop(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Rmsprop(toOptions o)

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

/// AdaMax: options as an F# record and curried update functions (see NetNumerics.Optimizers.AdamaxOptions).
[<RequireQualifiedAccess>]
module Adamax =
    /// AdaMax hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// First-moment decay in [0, 1).
          Beta1: float
          /// Infinity-norm decay in [0, 1).
          Beta2: float
          /// Epsilon > 0.
          Epsilon: float
          /// Keras (outside the max) or PyTorch (inside).
          EpsilonMode: AdamaxEpsilon
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (AdamaxOptions()).
    let defaults: Options =
        let d = AdamaxOptions()
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; EpsilonMode = d.EpsilonMode; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : AdamaxOptions =
        AdamaxOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, EpsilonMode = o.EpsilonMode, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastAdamax(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Adamax(toOptions o)

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

/// Nadam: options as an F# record and curried update functions (see NetNumerics.Optimizers.NadamOptions).
[<RequireQualifiedAccess>]
module Nadam =
    /// Nadam hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// First-moment decay in [0, 1).
          Beta1: float
          /// Second-moment decay in [0, 1).
          Beta2: float
          /// Epsilon > 0.
          Epsilon: float
          /// Momentum schedule: Keras 2 / PyTorch or Keras 3.
          Schedule: NadamSchedule
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (NadamOptions()).
    let defaults: Options =
        let d = NadamOptions()
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; Schedule = d.Schedule; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : NadamOptions =
        NadamOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Schedule = o.Schedule, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastNadam(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Nadam(toOptions o)

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

/// RAdam: options as an F# record and curried update functions (see NetNumerics.Optimizers.RadamOptions).
[<RequireQualifiedAccess>]
module Radam =
    /// RAdam hyperparameters; the learning rate is not one of them (it is passed to every update).
    type Options =
        {
          /// First-moment decay in [0, 1).
          Beta1: float
          /// Second-moment decay in [0, 1).
          Beta2: float
          /// Epsilon > 0.
          Epsilon: float
          /// Weight decay >= 0.
          WeightDecay: float
          /// L2 or Decoupled.
          WeightDecayMode: WeightDecayMode
        }

    /// The library's defaults (RadamOptions()).
    let defaults: Options =
        let d = RadamOptions()
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode }

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range.
    let toOptions (o: Options) : RadamOptions =
        RadamOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode)

    /// The Fast (vectorized) optimizer for these options.
    let fast (o: Options) : IOptimizer = FastRadam(toOptions o)

    /// The Reference (specification) optimizer for these options.
    let reference (o: Options) : IOptimizer = NetNumerics.Reference.Optimizers.Radam(toOptions o)

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
