namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

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
          /// Whose operation order the update follows: Keras (the library's, default), PyTorch or PyTorchFused (torch 1.13's bits).
          Order: OperationOrder
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
          /// torch's single-tensor (default) or foreach implementation, where they differ (PyTorch orders only).
          TorchPath: TorchPath
        }

    /// The F# record of one of the library's options records (a preset such as <c>AdagradOptions.PyTorch</c>, say).
    let ofOptions (d: AdagradOptions) : Options =
        { InitialAccumulatorValue = d.InitialAccumulatorValue; Epsilon = d.Epsilon; EpsilonPlacement = d.EpsilonPlacement; LrDecay = d.LrDecay; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode; Order = d.Order; Maximize = d.Maximize; TorchPath = d.TorchPath }

    /// The library's defaults (AdagradOptions()).
    let defaults: Options = ofOptions (AdagradOptions())

    /// torch's defaults in torch 1.13's plain operation order, the bits torch gives with its default kernels (AdagradOptions.PyTorch).
    let pytorch: Options = ofOptions AdagradOptions.PyTorch

    /// torch's defaults in the order of its fused (AVX2/AVX-512) CPU kernels (AdagradOptions.PyTorchFused).
    let pytorchFused: Options = ofOptions AdagradOptions.PyTorchFused

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range (and the
    /// optimizer's constructor an ArgumentException naming a combination a PyTorch order does not allow).
    let toOptions (o: Options) : AdagradOptions =
        AdagradOptions(InitialAccumulatorValue = o.InitialAccumulatorValue, Epsilon = o.Epsilon, EpsilonPlacement = o.EpsilonPlacement, LrDecay = o.LrDecay, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode, Order = o.Order, Maximize = o.Maximize, TorchPath = o.TorchPath)

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
