namespace NetNumerics.FSharp

open System
open NetNumerics.Schedules
open NetNumerics.Reference.Schedules
open NetNumerics.Fast.Schedules

/// Learning-rate schedules as pure functions of the step, <c>int64 -> float</c> (step 0-based; a negative step is an
/// ArgumentOutOfRangeException). The constructors wrap the library's schedule records, so each gives the
/// Reference's bits and checks its arguments (ArgumentOutOfRangeException naming the one out of range). The
/// combinators take the schedule last, so they pipe and compose:
/// <c>Schedule.cosine 0.1 100L |> Schedule.warmup 5L</c>, or <c>(Schedule.warmup 5L >> Schedule.scale 0.5) (Schedule.cosine 0.1 100L)</c>.
[<RequireQualifiedAccess>]
module Schedule =

    /// A schedule from any <see cref="T:NetNumerics.Schedules.ISchedule"/> (a Reference record, say): <c>spec.At</c>.
    let ofSpec (spec: ISchedule) : int64 -> float = fun step -> spec.At step

    /// The Fast evaluator of a schedule record (the same bits as the Reference for closed forms).
    let fast (spec: ISchedule) : int64 -> float =
        let f = FastSchedule.From spec
        fun step -> f.At step

    /// The function as an <see cref="T:NetNumerics.Schedules.ISchedule"/>, for the C# API (Trainer, range test).
    let toSpec (name: string) (schedule: int64 -> float) : ISchedule = FunctionSchedule(Func<int64, float>(schedule), name)

    /// A schedule from the library's text grammar, e.g. <c>"cosine:steps=1000"</c>, starting at <paramref name="initialLearningRate"/>.
    let parse (text: string) (initialLearningRate: float) : int64 -> float = ofSpec (ScheduleParser.Parse(text, initialLearningRate))

    /// The same rate at every step.
    let constant (learningRate: float) : int64 -> float = ofSpec (ConstantLearningRate(LearningRate = learningRate))

    /// Keras ExponentialDecay: <c>lr0 * rate^(t / decaySteps)</c>.
    let exponential (initialLearningRate: float) (rate: float) (decaySteps: int64) : int64 -> float =
        ofSpec (ExponentialDecay(InitialLearningRate = initialLearningRate, DecayRate = rate, DecaySteps = decaySteps))

    /// Step decay: <c>lr0 * drop^floor(t / every)</c>.
    let stepDecay (initialLearningRate: float) (drop: float) (every: int64) : int64 -> float =
        ofSpec (StepDecay(InitialLearningRate = initialLearningRate, Drop = drop, EpochsDrop = every))

    /// Keras CosineDecay from lr0 to 0 over decaySteps, then 0.
    let cosine (initialLearningRate: float) (decaySteps: int64) : int64 -> float =
        ofSpec (CosineDecay(InitialLearningRate = initialLearningRate, DecaySteps = decaySteps))

    /// Linear decay from lr0 to endLearningRate over decaySteps, then endLearningRate.
    let linear (initialLearningRate: float) (endLearningRate: float) (decaySteps: int64) : int64 -> float =
        ofSpec (LinearDecay(InitialLearningRate = initialLearningRate, EndLearningRate = endLearningRate, DecaySteps = decaySteps))

    /// Keras InverseTimeDecay: <c>lr0 / (1 + rate * t / decaySteps)</c>.
    let inverseTime (initialLearningRate: float) (rate: float) (decaySteps: int64) : int64 -> float =
        ofSpec (InverseTimeDecay(InitialLearningRate = initialLearningRate, DecayRate = rate, DecaySteps = decaySteps))

    /// PyTorch OneCycleLR (cosine annealing, default factors) peaking at maxLearningRate over totalSteps.
    let oneCycle (maxLearningRate: float) (totalSteps: int64) : int64 -> float =
        ofSpec (OneCycle(MaxLearningRate = maxLearningRate, TotalSteps = totalSteps))

    /// Warmup-stable-decay (Hu et al. 2024, MiniCPM): a linear warm-up from 0 over <c>warmup</c> steps, <c>stable</c> steps at lr,
    /// then the (1-sqrt) cooldown of Hägele et al. 2024 to 0 over <c>decay</c> steps, then 0.
    let wsd (learningRate: float) (warmup: int64) (stable: int64) (decay: int64) : int64 -> float =
        ofSpec (WarmupStableDecay(LearningRate = learningRate, WarmupSteps = warmup, StableSteps = stable, DecaySteps = decay))

    /// Inverse square root decay (the Transformer's schedule in fairseq's normalisation): a linear warm-up from 0 to lr at
    /// step <c>warmup</c>, then <c>lr * sqrt(warmup / t)</c>.
    let inverseSqrt (learningRate: float) (warmup: int64) : int64 -> float =
        ofSpec (InverseSqrtDecay(LearningRate = learningRate, WarmupSteps = warmup))

    /// <c>first</c> before <c>boundary</c>, then <c>second</c> counted from the boundary (Optax join_schedules).
    let join (boundary: int64) (second: int64 -> float) (first: int64 -> float) : int64 -> float =
        ofSpec (JoinedSchedule([| toSpec "first" first; toSpec "second" second |], [| boundary |]))

    /// A linear warm-up from 0 over <c>steps</c> steps to the schedule's first value, then the schedule counted from
    /// the end of the warm-up: the library's LinearWarmup joined with it.
    let warmup (steps: int64) (schedule: int64 -> float) : int64 -> float =
        let ramp = LinearWarmup(InitialLearningRate = 0.0, TargetLearningRate = schedule 0L, WarmupSteps = steps)
        ofSpec (JoinedSchedule([| ramp :> ISchedule; toSpec "schedule" schedule |], [| steps |]))

    /// The schedule times a constant factor.
    let scale (factor: float) (schedule: int64 -> float) : int64 -> float = fun step -> factor * schedule step

    /// The product of two schedules at the same step (the library's ProductSchedule).
    let product (other: int64 -> float) (schedule: int64 -> float) : int64 -> float =
        ofSpec (ProductSchedule(toSpec "a" schedule, toSpec "b" other))

    /// The schedule, but never below <c>minimum</c>.
    let atLeast (minimum: float) (schedule: int64 -> float) : int64 -> float = fun step -> max minimum (schedule step)

    /// The values at steps first, first + 1, ..., first + count - 1.
    let values (first: int64) (count: int) (schedule: int64 -> float) : float[] =
        Array.init count (fun i -> schedule (first + int64 i))
