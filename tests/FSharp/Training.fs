module NetNumerics.FSharp.Tests.Training

open System
open Xunit
open NetNumerics
open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers
open NetNumerics.Training
open NetNumerics.Nn
open NetNumerics.Data
open NetNumerics.Fast.Nn
open NetNumerics.Training.Callbacks
open NetNumerics.Schedules

/// 1x8x8 images, 3 classes: class c lights rows 2c..2c+1 (plus noise), a pure function of the sample index.
let private dataset n =
    let label i = int (CounterRng.Bits(5UL, 0UL, uint64 i) % 3UL)
    let pixel i j =
        let lit = j / 8 / 2 = label i
        (if lit then 0.5f else 0.0f) + 0.5f * CounterRng.UniformSingle(5UL, 1UL, uint64 (i * 64 + j))
    let images = Array.init (n * 64) (fun k -> pixel (k / 64) (k % 64))
    Dataset(images, Array.init n label, 1, 8, 8, 3)

/// A small CNN described with the fluent builder: conv 4@3x3, relu, pool, flatten, dense 3.
let private spec =
    NetworkSpec.Builder(1, 8, 8).Conv2D(4, 3).Relu().MaxPool2D(2).Flatten().Dense(3).Build()

[<Fact>]
let ``a tiny CNN trained from F# with Adam, a schedule and a callback lowers its loss`` () =
    let model = FastModel(spec, 3UL, FastModelOptions(MaxDegreeOfParallelism = 1, MaxBatch = 16))
    let optimizer = FastOptimizers.For(AdamOptions(Beta2 = 0.99))
    // A schedule is a pure function of the step: here an F# object expression halving the rate every 4 epochs.
    let halving = { new ISchedule with member _.At step = 1e-2 * 0.5 ** float (step / 4L) }
    let options = TrainingOptions(Epochs = 8, BatchSize = 16, ValidationSplit = 0.25, Seed = 7UL)
    let trainer = Trainer(model, optimizer, options, halving)

    let seen = ResizeArray<int * double>()
    let recorder = { new Callback() with member _.OnEpochEnd(_, logs) = seen.Add((logs.Epoch, logs.LearningRate)) }
    let result = trainer.Fit(dataset 160, dataset 48, [ recorder ])

    let losses = result.History |> Seq.map (fun h -> h.Loss) |> List.ofSeq
    Assert.Equal(8, losses.Length)
    Assert.All(losses, fun l -> Assert.True(Double.IsFinite l))
    Assert.True(List.last losses < 0.8 * List.head losses, sprintf "loss did not fall: %A" losses)
    Assert.Equal<(int * double) list>([ for e in 0..7 -> e, 1e-2 * 0.5 ** float (e / 4) ], List.ofSeq seen)
    Assert.Equal(None, Option.ofObj result.StopReason)
    match Option.ofNullable result.Test with
    | Some test -> Assert.True(test.Accuracy > 1.0 / 3.0, sprintf "test accuracy %f is not above chance" test.Accuracy)
    | None -> failwith "Fit was given a test set but returned no test result"
