namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

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
          /// Whose operation order the update follows: Keras (the library's, default), PyTorch or PyTorchFused (torch 1.13's bits).
          Order: OperationOrder
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
        }

    /// The F# record of one of the library's options records (a preset such as <c>RmspropOptions.PyTorch</c>, say).
    let ofOptions (d: RmspropOptions) : Options =
        { Rho = d.Rho; Epsilon = d.Epsilon; Momentum = d.Momentum; Centered = d.Centered; EpsilonPlacement = d.EpsilonPlacement; MomentumForm = d.MomentumForm; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode; Order = d.Order; Maximize = d.Maximize }

    /// The library's defaults (RmspropOptions()).
    let defaults: Options = ofOptions (RmspropOptions())

    /// torch's defaults in torch 1.13's plain operation order, the bits torch gives with its default kernels (RmspropOptions.PyTorch).
    let pytorch: Options = ofOptions RmspropOptions.PyTorch

    /// torch's defaults in the order of its fused (AVX2/AVX-512) CPU kernels (RmspropOptions.PyTorchFused).
    let pytorchFused: Options = ofOptions RmspropOptions.PyTorchFused

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range (and the
    /// optimizer's constructor an ArgumentException naming a combination a PyTorch order does not allow).
    let toOptions (o: Options) : RmspropOptions =
        RmspropOptions(Rho = o.Rho, Epsilon = o.Epsilon, Momentum = o.Momentum, Centered = o.Centered, EpsilonPlacement = o.EpsilonPlacement, MomentumForm = o.MomentumForm, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode, Order = o.Order, Maximize = o.Maximize)

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
