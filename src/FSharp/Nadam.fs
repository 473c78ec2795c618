namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

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
          /// Whose operation order the update follows: Keras (the library's, default), PyTorch or PyTorchFused (torch 1.13's bits).
          Order: OperationOrder
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
          /// torch's single-tensor (default) or foreach implementation, where they differ (PyTorch orders only).
          TorchPath: TorchPath
          /// d in 0.96^(t*d) (torch's momentum_decay); None = as Schedule says (0.004 Keras 2 / PyTorch, 1 Keras 3).
          MomentumDecay: float option
        }

    /// The momentum decay a schedule implies when none is set: 1 for Keras 3, 0.004 for Keras 2 and PyTorch.
    let private impliedDecay (schedule: NadamSchedule) = if schedule = NadamSchedule.Keras3 then 1.0 else 0.004

    /// The F# record of one of the library's options records (a preset such as <c>NadamOptions.PyTorch</c>, say); a momentum
    /// decay equal to the one the schedule implies reads back as None.
    let ofOptions (d: NadamOptions) : Options =
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; Schedule = d.Schedule; WeightDecay = d.WeightDecay; WeightDecayMode = d.WeightDecayMode
          Order = d.Order; Maximize = d.Maximize; TorchPath = d.TorchPath
          MomentumDecay = if d.MomentumDecay = impliedDecay d.Schedule then None else Some d.MomentumDecay }

    /// The library's defaults (NadamOptions()).
    let defaults: Options = ofOptions (NadamOptions())

    /// torch's defaults in torch 1.13's plain operation order, the bits torch gives with its default kernels (NadamOptions.PyTorch).
    let pytorch: Options = ofOptions NadamOptions.PyTorch

    /// torch's defaults in the order of its fused (AVX2/AVX-512) CPU kernels (NadamOptions.PyTorchFused).
    let pytorchFused: Options = ofOptions NadamOptions.PyTorchFused

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range (and the
    /// optimizer's constructor an ArgumentException naming a combination a PyTorch order does not allow).
    let toOptions (o: Options) : NadamOptions =
        match o.MomentumDecay with
        | Some decay -> NadamOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Schedule = o.Schedule, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode, Order = o.Order, Maximize = o.Maximize, TorchPath = o.TorchPath, MomentumDecay = decay)
        | None -> NadamOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Schedule = o.Schedule, WeightDecay = o.WeightDecay, WeightDecayMode = o.WeightDecayMode, Order = o.Order, Maximize = o.Maximize, TorchPath = o.TorchPath)

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
