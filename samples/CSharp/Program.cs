// What a user embedding NetNumerics writes: Adam with a warm-up-then-cosine schedule on their own buffers, the state
// saved mid-run and restored, several tensors with global-norm clipping, the same in double. Exits 1 on any mismatch.
using NetNumerics.Fast.Optimizers;
using NetNumerics.Fast.Schedules;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Schedules;
using NetNumerics.Training;

const int N = 1_000_000, Steps = 100, SaveAt = 50;
var adam = FastOptimizers.For(new AdamOptions { Beta2 = 0.99 });
// 10 steps of linear warm-up to 1e-3, then a cosine over the remaining 90 (the same schedule as the text
// "warmup:start=0,target=0.001,steps=10 |10| cosine:lr=0.001,steps=90").
var schedule = FastSchedule.From(new JoinedSchedule(
    [new LinearWarmup { InitialLearningRate = 0, TargetLearningRate = 1e-3, WarmupSteps = 10 },
     new CosineDecay { InitialLearningRate = 1e-3, DecaySteps = 90 }], [10]));

static void Gradient<T>(Span<T> g, ReadOnlySpan<T> p, int step) where T : System.Numerics.IFloatingPointIeee754<T>
{
    // d/dp of sum (p - target)^2 / 2 with a target that moves with the step: any deterministic gradient will do.
    for (int i = 0; i < g.Length; i++) g[i] = p[i] - T.CreateTruncating(Math.Sin(0.001 * i + step));
}

float[] Run(bool interrupt)
{
    var p = new float[N]; var g = new float[N];
    var state = adam.Init<float>(N);
    for (int t = 0; t < Steps; t++)
    {
        if (interrupt && t == SaveAt)
        {
            // Save, throw everything away, restore into a fresh state as a new process would.
            using var file = new MemoryStream();
            OptimizerStateFormat.Save(state, file);
            file.Position = 0;
            state = OptimizerStateFormat.Load<float>(file);
        }
        Gradient<float>(g, p, t);
        adam.Update(state, p, g, schedule.At(t));
    }
    return p;
}

int failures = 0;
void Check(bool ok, string what) { Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}"); if (!ok) failures++; }

var straight = Run(interrupt: false);
var resumed = Run(interrupt: true);
Check(straight.AsSpan().SequenceEqual(resumed), $"Adam + warm-up/cosine on {N:N0} floats, {Steps} steps: saved at {SaveAt} and restored gives the same bits");

// Several tensors of one model, global-norm clipping across them, through OptimizerSet.
var rng = new Random(1);
Parameter Tensor(string name, int n)
{
    var g = new float[n];
    for (int i = 0; i < n; i++) g[i] = (float)(rng.NextDouble() * 10 - 5);
    return new Parameter(name, [n], new float[n], g);
}
Parameter[] tensors = [Tensor("conv/kernel", 288), Tensor("conv/bias", 32), Tensor("dense/kernel", 409_600), Tensor("dense/bias", 256)];
var set = new OptimizerSet(adam, FastClipping.Instance, tensors, new ClippingOptions { GlobalClipNorm = 1.0 });
double norm = set.Step(tensors, 1e-3);
double after = Math.Sqrt(tensors.Sum(t => t.Gradients.ToArray().Sum(x => (double)x * x)));
Check(norm > 1 && Math.Abs(after - 1.0) < 1e-5, $"global-norm clipping over {tensors.Length} tensors: norm {norm:F1} clipped to {after:F6}");
for (int i = 0; i < 5; i++) set.Step(tensors, 1e-3);
long before = GC.GetAllocatedBytesForCurrentThread();
for (int i = 0; i < 20; i++) set.Step(tensors, 1e-3);
long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
Check(allocated == 0, $"OptimizerSet.Step in steady state allocates {allocated} bytes");

// The same optimizer in double, with a save/restore round trip.
var pd = new double[N]; var gd = new double[N];
var sd = adam.Init<double>(N);
for (int t = 0; t < 3; t++) { Gradient<double>(gd, pd, t); adam.Update(sd, pd, gd, schedule.At(t + 10)); }
using (var file = new MemoryStream())
{
    OptimizerStateFormat.Save(sd, file);
    file.Position = 0;
    Check(OptimizerStateFormat.Load<double>(file).BitEquals(sd), $"double state of {N:N0} elements round-trips bit for bit ({file.Length:N0} bytes)");
}

Console.WriteLine(failures == 0 ? "all checks passed" : $"{failures} check(s) failed");
return failures == 0 ? 0 : 1;
