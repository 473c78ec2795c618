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
          /// Whose operation order the update follows: Keras (the library's, default), PyTorch or PyTorchFused (torch 1.13's bits).
          Order: OperationOrder
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
        }

    /// The F# record of one of the library's options records (a preset such as <c>SgdOptions.PyTorch</c>, say).
    let ofOptions (d: SgdOptions) : Options =
        { Momentum = d.Momentum; Nesterov = d.Nesterov; Dampening = d.Dampening; MomentumForm = d.MomentumForm; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode; Order = d.Order; Maximize = d.Maximize }

    /// The library's defaults (SgdOptions()).
    let defaults: Options = ofOptions (SgdOptions())

    /// torch's defaults in torch 1.13's plain operation order, the bits torch gives with its default kernels (SgdOptions.PyTorch).
    let pytorch: Options = ofOptions SgdOptions.PyTorch

    /// torch's defaults in the order of its fused (AVX2/AVX-512) CPU kernels (SgdOptions.PyTorchFused).
    let pytorchFused: Options = ofOptions SgdOptions.PyTorchFused

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range (and the
    /// optimizer's constructor an ArgumentException naming a combination a PyTorch order does not allow).
    let toOptions (o: Options) : SgdOptions =
        SgdOptions(Momentum = o.Momentum, Nesterov = o.Nesterov, Dampening = o.Dampening, MomentumForm = o.MomentumForm, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode, Order = o.Order, Maximize = o.Maximize)

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
