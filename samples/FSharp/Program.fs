// What an F# user embedding NetNumerics writes: Adam with a warm-up-then-cosine schedule on their own buffers, the
// state saved mid-run and restored, several tensors with global-norm clipping, the same in double; then the same run
// through the F# facade (NetNumerics.FSharp: records with `with`, schedules as functions, the pure path and fold).
// Exits 1 on a mismatch.
open System
open System.IO
open NetNumerics.Optimizers
open NetNumerics.Fast.Optimizers
open NetNumerics.Fast.Schedules
open NetNumerics.Reference.Schedules
open NetNumerics.Nn
open NetNumerics.Training
open NetNumerics.FSharp

let n, steps, saveAt = 1_000_000, 100, 50
let adam = FastOptimizers.For(AdamOptions(Beta2 = 0.99))
let schedule =
    FastSchedule.From(
        JoinedSchedule(
            [| LinearWarmup(InitialLearningRate = 0.0, TargetLearningRate = 1e-3, WarmupSteps = 10L) :> NetNumerics.Schedules.ISchedule
               CosineDecay(InitialLearningRate = 1e-3, DecaySteps = 90L) |],
            [| 10L |]))

let inline gradient (g: 'T[]) (p: 'T[]) (step: int) (ofFloat: float -> 'T) =
    for i in 0 .. g.Length - 1 do
        g.[i] <- p.[i] - ofFloat (Math.Sin(0.001 * float i + float step))

let roundTrip (state: OptimizerState<'T>) (load: Stream -> OptimizerState<'T>) =
    use file = new MemoryStream()
    OptimizerStateFormat.Save(state, file)
    file.Position <- 0L
    load file

let run interrupt =
    let p, g = Array.zeroCreate<float32> n, Array.zeroCreate<float32> n
    let mutable state = adam.Init<float32> n
    for t in 0 .. steps - 1 do
        if interrupt && t = saveAt then state <- roundTrip state OptimizerStateFormat.Load<float32>
        gradient g p t float32
        adam.Update(state, p, g, schedule.At(int64 t)) |> ignore
    p

let mutable failures = 0
let check ok (what: string) =
    printfn "%s %s" (if ok then "ok  " else "FAIL") what
    if not ok then failures <- failures + 1

check (run false = run true) $"Adam + warm-up/cosine on {n} floats, {steps} steps: saved at {saveAt} and restored gives the same bits"

let rng = Random(1)
let tensor name size =
    Parameter(name, [| size |], Memory(Array.zeroCreate<float32> size), Memory(Array.init size (fun _ -> float32 (rng.NextDouble() * 10.0 - 5.0))))
let tensors = [| tensor "conv/kernel" 288; tensor "conv/bias" 32; tensor "dense/kernel" 409_600; tensor "dense/bias" 256 |]
let set = OptimizerSet(adam, FastClipping.Instance, tensors, ClippingOptions(GlobalClipNorm = 1.0))
let norm = set.Step(tensors, 1e-3)
let after = tensors |> Array.sumBy (fun t -> t.Gradients.ToArray() |> Array.sumBy (fun x -> float x * float x)) |> sqrt
check (norm > 1.0 && abs (after - 1.0) < 1e-5) $"global-norm clipping over {tensors.Length} tensors: norm {norm:F1} clipped to {after:F6}"

let pd, gd = Array.zeroCreate<float> n, Array.zeroCreate<float> n
let sd = adam.Init<float> n
for t in 0 .. 2 do
    gradient gd pd t id
    adam.Update(sd, pd, gd, schedule.At(int64 (t + 10))) |> ignore
check ((roundTrip sd OptimizerStateFormat.Load<float>).BitEquals sd) $"double state of {n} elements round-trips bit for bit"

// The F# facade: the same Adam and schedule written as an F# user would, in place on the facade's State.
let facade () =
    let options = { Adam.defaults with Beta2 = 0.99 }
    let lr = Schedule.cosine 1e-3 90L |> Schedule.warmup 10L
    let s = Adam.initWith options (Array.zeroCreate<float32> n)
    let g = Array.zeroCreate<float32> n
    for t in 0 .. steps - 1 do
        gradient g s.Parameters t float32
        Adam.updateInPlaceWith options (lr (int64 t)) g s
    s.Parameters
check (facade () = run false) "NetNumerics.FSharp: { Adam.defaults with Beta2 = 0.99 } and Schedule.warmup over Schedule.cosine give the C# run's bits"

// The pure path: List.scan yields distinct states, and Optimizer.fold over the same gradients ends where the scan ends.
let gs = [ for k in 1 .. 5 -> Array.init 1000 (fun i -> float32 (sin (float (i + 7 * k)))) ]
let start = Lion.init (Array.zeroCreate<float32> 1000)
let scanned = gs |> List.scan (fun s g -> Lion.update 1e-3 g s) start
let folded = start |> Optimizer.fold (Lion.fast Lion.defaults) (Schedule.constant 1e-3) gs
check (start.Step = 0L && (List.last scanned).Step = 5L && folded.Parameters = (List.last scanned).Parameters
       && (scanned |> List.pairwise |> List.forall (fun (a, b) -> not (obj.ReferenceEquals(a.Parameters, b.Parameters)))))
      "NetNumerics.FSharp: Lion over List.scan (6 distinct states) and Optimizer.fold agree; the start is unchanged"

printfn "%s" (if failures = 0 then "all checks passed" else $"{failures} check(s) failed")
exit (if failures = 0 then 0 else 1)
