namespace NetNumerics.FSharp

open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers

// See Sgd.fs for the shape every optimizer module shares.

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
          /// Whose operation order the update follows: Keras (the library's, default), PyTorch or PyTorchFused (torch 1.13's bits).
          Order: OperationOrder
          /// torch's maximize: the gradient's sign is flipped first, so the update ascends.
          Maximize: bool
        }

    /// The F# record of one of the library's options records (a preset such as <c>AdamWOptions.PyTorch</c>, say).
    let ofOptions (d: AdamWOptions) : Options =
        { Beta1 = d.Beta1; Beta2 = d.Beta2; Epsilon = d.Epsilon; Amsgrad = d.Amsgrad; EpsilonMode = d.EpsilonMode; WeightDecay = d.WeightDecay; Order = d.Order; Maximize = d.Maximize }

    /// The library's defaults (AdamWOptions()).
    let defaults: Options = ofOptions (AdamWOptions())

    /// torch's defaults in torch 1.13's plain operation order, the bits torch gives with its default kernels (AdamWOptions.PyTorch).
    let pytorch: Options = ofOptions AdamWOptions.PyTorch

    /// torch's defaults in the order of its fused (AVX2/AVX-512) CPU kernels (AdamWOptions.PyTorchFused).
    let pytorchFused: Options = ofOptions AdamWOptions.PyTorchFused

    /// The library's options record; its setters throw ArgumentOutOfRangeException naming a value out of range (and the
    /// optimizer's constructor an ArgumentException naming a combination a PyTorch order does not allow).
    let toOptions (o: Options) : AdamWOptions =
        AdamWOptions(Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon, Amsgrad = o.Amsgrad, EpsilonMode = o.EpsilonMode, WeightDecay = o.WeightDecay, Order = o.Order, Maximize = o.Maximize)

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
