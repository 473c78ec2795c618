using NetNumerics.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.Globalization;

namespace NetNumerics.Training;

/// <summary>
/// Settings of the learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
/// sec. 3.3; as fastai's <c>LRFinder</c> and keras_lr_finder run it). Defaults are fastai's: 1e-7 to 10 over
/// 100 batches, smoothing beta 0.98, stop when the smoothed loss exceeds 4x the best.
/// </summary>
public sealed record LrRangeTestOptions
{
    /// <summary>The first batch's learning rate, &gt; 0; default 1e-7 (fastai <c>start_lr</c>).</summary>
    public double StartLearningRate { get; init; } = 1e-7;
    /// <summary>The rate the exponential sweep heads for, &gt; StartLearningRate; default 10 (fastai <c>end_lr</c>).</summary>
    public double EndLearningRate { get; init; } = 10;
    /// <summary>Number of mini-batches (one optimizer update each); the learning rate grows exponentially over them.</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Samples per batch, &gt; 0; default 250.</summary>
    public int BatchSize { get; init; } = 250;
    /// <summary>Seed of the batch order (<see cref="EpochShuffle"/>) and of the model's dropout.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Beta of the debiased exponential moving average of the loss (fastai <c>SmoothenValue</c>).</summary>
    public double Beta { get; init; } = 0.98;
    /// <summary>Stop once the smoothed loss exceeds this factor times the best smoothed loss so far (or is NaN).</summary>
    public double DivergenceFactor { get; init; } = 4;
    /// <summary>Stop at the first diverged batch (fastai <c>stop_div</c>); default true.</summary>
    public bool StopOnDivergence { get; init; } = true;

    /// <summary>Throws naming the first option out of range.</summary>
    public LrRangeTestOptions Validate()
    {
        Guard.PositiveFinite(StartLearningRate, nameof(StartLearningRate));
        Guard.PositiveFinite(EndLearningRate, nameof(EndLearningRate));
        if (EndLearningRate <= StartLearningRate)
            throw new ArgumentOutOfRangeException(nameof(EndLearningRate), EndLearningRate,
                $"{nameof(EndLearningRate)} must be > {nameof(StartLearningRate)} ({Show(StartLearningRate)}), but was {Show(EndLearningRate)}.");
        if (Steps < 2) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"{nameof(Steps)} must be >= 2, but was {Steps}.");
        Guard.Positive(BatchSize, nameof(BatchSize));
        Guard.UnitInterval(Beta, nameof(Beta));
        if (!double.IsFinite(DivergenceFactor) || DivergenceFactor <= 1)
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor,
                $"{nameof(DivergenceFactor)} must be a finite number > 1, but was {Show(DivergenceFactor)}.");
        return this;
    }

    static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One batch of the range test: its 0-based index, the learning rate of its update, its mean loss and the smoothed loss.</summary>
/// <param name="Step">0-based batch index.</param>
/// <param name="LearningRate">The learning rate of its update.</param>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="SmoothedLoss">The debiased moving average of the losses so far.</param>
public readonly record struct LrRangePoint(int Step, double LearningRate, double Loss, double SmoothedLoss);

/// <summary>
/// What the range test suggests: the learning rate where the smoothed loss falls fastest against log(lr)
/// (fastai <c>steep</c>), the learning rate of the lowest smoothed loss divided by 10 (fastai <c>minimum</c>),
/// and cyclical bounds built from them (see <see cref="LrRangeTest.Bounds"/>).
/// </summary>
/// <param name="Steepest">fastai <c>steep</c>: the rate where the smoothed loss falls fastest against log(lr).</param>
/// <param name="MinimumOver10">fastai <c>minimum</c>: the rate of the lowest smoothed loss, divided by 10.</param>
/// <param name="BaseLearningRate">Suggested lower bound of a cyclical schedule.</param>
/// <param name="MaxLearningRate">Suggested upper bound of a cyclical schedule.</param>
public sealed record LrSuggestion(double Steepest, double MinimumOver10, double BaseLearningRate, double MaxLearningRate);

/// <summary>The recorded points (in order; the last may be the one that diverged) and why the test stopped early (null if it ran every step).</summary>
/// <param name="Points">One point per batch run, in order.</param>
/// <param name="StopReason">Why the test stopped early (divergence), or null.</param>
public sealed record LrRangeResult(IReadOnlyList<LrRangePoint> Points, string? StopReason)
{
    /// <summary><see cref="LrRangeTest.Suggest"/> with fastai's trimming: the first Steps/10 and the last 5 points are left out when enough remain.</summary>
    public LrSuggestion Suggest(int totalSteps) => LrRangeTest.Suggest(
        Points.Select(p => p.LearningRate).ToArray(), Points.Select(p => p.SmoothedLoss).ToArray(), totalSteps / 10, 5);
}

/// <summary>
/// The learning-rate range test: train for <c>Steps</c> mini-batches with the learning rate growing exponentially
/// from <c>start</c> to <c>end</c>, record the loss of each batch and its smoothed value, stop early when the smoothed
/// loss diverges, then put the model's parameters (and gradient buffers) back bit-for-bit as they were. Optimizer
/// state given by the caller is never modified (the test runs on clones); without one, fresh state is used.
/// Everything the suggestion needs is a pure function here, so it can be checked on synthetic curves.
/// </summary>
public static class LrRangeTest
{
    /// <summary>
    /// fastai <c>SchedExp</c> / keras_lr_finder's <c>lr_mult</c>: <c>lr_i = start * (end/start)^(i/steps)</c>, i = 0..steps-1
    /// (the first batch uses <c>start</c>; <c>end</c> itself would be batch number <c>steps</c>).
    /// </summary>
    public static double LearningRateAt(double start, double end, int steps, int i) =>
        start * Math.Pow(end / start, (double)i / steps);

    /// <summary>
    /// fastai <c>SmoothenValue</c>: <c>avg_n = beta*avg_{n-1} + (1-beta)*loss_n</c> (avg_0 = 0),
    /// <c>smooth_n = avg_n / (1 - beta^n)</c> (debiased; n is 1-based).
    /// </summary>
    public static double[] Smooth(IReadOnlyList<double> losses, double beta)
    {
        ArgumentNullException.ThrowIfNull(losses);
        Guard.UnitInterval(beta, nameof(beta));
        var s = new double[losses.Count];
        double avg = 0, pow = 1;
        for (int n = 0; n < s.Length; n++)
        {
            avg = beta * avg + (1 - beta) * losses[n];
            pow *= beta;
            s[n] = avg / (1 - pow);
        }
        return s;
    }

    /// <summary>fastai's stop rule: the smoothed loss is NaN or exceeds <paramref name="factor"/> times the best smoothed loss so far.</summary>
    public static bool Diverged(double smoothed, double best, double factor) => double.IsNaN(smoothed) || smoothed > factor * best;

    /// <summary>
    /// fastai <c>steep</c>: the index i (of the left point) where <c>(loss[i+1]-loss[i]) / (ln lr[i+1] - ln lr[i])</c> is most
    /// negative; non-finite slopes are ignored; -1 when there are fewer than 2 points or no finite slope.
    /// </summary>
    public static int SteepestIndex(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses)
    {
        CheckPair(learningRates, losses);
        int best = -1;
        double bestSlope = double.PositiveInfinity;
        for (int i = 0; i + 1 < losses.Count; i++)
        {
            double slope = (losses[i + 1] - losses[i]) / (Math.Log(learningRates[i + 1]) - Math.Log(learningRates[i]));
            if (double.IsFinite(slope) && slope < bestSlope) { bestSlope = slope; best = i; }
        }
        return best;
    }

    /// <summary>The index of the lowest finite loss (the first if tied); -1 when none is finite.</summary>
    public static int MinimumIndex(IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        int best = -1;
        for (int i = 0; i < losses.Count; i++)
            if (double.IsFinite(losses[i]) && (best < 0 || losses[i] < losses[best])) best = i;
        return best;
    }

    /// <summary>
    /// Cyclical bounds (Smith 2017, sec. 3.3): max = the larger and base = the smaller of (steepest, minimum/10); when
    /// they are less than 3x apart, base = max/4 (Smith: "base_lr ... 1/3 or 1/4 of max_lr").
    /// </summary>
    public static (double Base, double Max) Bounds(double steepest, double minimumOver10)
    {
        double max = Math.Max(steepest, minimumOver10), lo = Math.Min(steepest, minimumOver10);
        return (max / lo >= 3 ? lo : max / 4, max);
    }

    /// <summary>
    /// The suggestion from (lr, smoothed loss) points, leaving out the first <paramref name="skipStart"/> and last
    /// <paramref name="skipEnd"/> points (fastai drops num_it/10 and 5) unless fewer than 3 would remain.
    /// </summary>
    public static LrSuggestion Suggest(IReadOnlyList<double> learningRates, IReadOnlyList<double> smoothedLosses, int skipStart, int skipEnd)
    {
        CheckPair(learningRates, smoothedLosses);
        Guard.NonNegative(skipStart, nameof(skipStart));
        Guard.NonNegative(skipEnd, nameof(skipEnd));
        int from = 0, count = learningRates.Count;
        if (count - skipStart - skipEnd >= 3) { from = skipStart; count -= skipStart + skipEnd; }
        var lrs = learningRates.Skip(from).Take(count).ToArray();
        var losses = smoothedLosses.Skip(from).Take(count).ToArray();
        int steep = SteepestIndex(lrs, losses), min = MinimumIndex(losses);
        if (steep < 0 || min < 0)
            throw new ArgumentException($"no suggestion: the range test has {learningRates.Count} points and too few finite losses among them.", nameof(smoothedLosses));
        var (lo, hi) = Bounds(lrs[steep], lrs[min] / 10);
        return new LrSuggestion(lrs[steep], lrs[min] / 10, lo, hi);
    }

    static void CheckPair(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        ArgumentNullException.ThrowIfNull(losses);
        Guard.SameLength(lrs.Count, "learningRates", losses.Count, "losses");
    }

    /// <summary>
    /// Runs the test on <paramref name="data"/> (all samples, reshuffled by <see cref="EpochShuffle"/> each time they are
    /// used up) and restores the parameters and gradient buffers afterwards, even when a step throws.
    /// <paramref name="states"/>: the optimizer state per parameter to start from (cloned, left untouched); null = fresh.
    /// <paramref name="onPoint"/> sees every point as it is recorded (progress).
    /// </summary>
    public static LrRangeResult Run(IModel model, IOptimizer optimizer, Dataset data, LrRangeTestOptions? options = null,
        IReadOnlyList<OptimizerState<float>>? states = null, Action<LrRangePoint>? onPoint = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(data);
        var o = (options ?? new LrRangeTestOptions()).Validate();
        if (data.SampleLength != model.InputLength)
            throw new ArgumentException($"data samples have {data.SampleLength} floats, but the model takes {model.InputLength}.", nameof(data));
        if (data.Classes != model.Classes)
            throw new ArgumentException($"data has {data.Classes} classes, but the model predicts {model.Classes}.", nameof(data));
        if (data.Count == 0) throw new ArgumentException("data has no samples.", nameof(data));
        var ps = model.Parameters;
        if (states is not null)
        {
            Guard.SameLength(ps.Count, "model parameters", states.Count, nameof(states));
            for (int i = 0; i < ps.Count; i++) Guard.SameLength(ps[i].Length, ps[i].Name, states[i].Length, $"{nameof(states)}[{i}]");
        }
        var savedValues = ps.Select(p => p.Values.ToArray()).ToArray();
        var savedGrads = ps.Select(p => p.Gradients.ToArray()).ToArray();

        // One training loop: the test is Trainer.Fit with an exponential per-iteration schedule, no validation, whole
        // batches only (each pass over the data reshuffled by EpochShuffle), and a callback that records every batch's
        // loss and stops after Steps batches or on divergence.
        int batch = Math.Min(o.BatchSize, data.Count), perEpoch = data.Count / batch;
        var trainer = new Trainer(model, optimizer,
            new TrainingOptions
            {
                Epochs = (o.Steps + perEpoch - 1) / perEpoch, BatchSize = batch, ValidationSplit = 0, Seed = o.Seed,
                ScheduleGranularity = ScheduleGranularity.PerIteration, DropLastBatch = true,
            },
            new ExponentialRange(o.StartLearningRate, o.EndLearningRate, o.Steps))
        { StartStates = states };
        var recorder = new RangeRecorder(o, onPoint);
        try
        {
            trainer.Fit(data, callbacks: [recorder]);
        }
        finally
        {
            for (int i = 0; i < ps.Count; i++)
            {
                savedValues[i].CopyTo(ps[i].Values);
                savedGrads[i].CopyTo(ps[i].Gradients);
            }
        }
        return new LrRangeResult(recorder.Points, recorder.StopReason);
    }

    /// <summary>The test's learning rate as a schedule over iterations (<see cref="LearningRateAt"/>).</summary>
    sealed class ExponentialRange(double start, double end, int steps) : NetNumerics.Schedules.ISchedule
    {
        public double At(long step) => LearningRateAt(start, end, steps, (int)step);
    }

    /// <summary>Records (lr, loss, smoothed loss) after each update and stops the run after Steps batches or on divergence.</summary>
    sealed class RangeRecorder(LrRangeTestOptions o, Action<LrRangePoint>? onPoint) : Callback
    {
        double _avg, _pow = 1, _best = double.PositiveInfinity;
        public List<LrRangePoint> Points { get; } = new(o.Steps);
        public string? StopReason { get; private set; }

        public override void OnBatchEnd(TrainingContext context, BatchLogs batch)
        {
            int step = Points.Count;
            double loss = batch.Result.MeanLoss, lr = batch.LearningRate;
            _avg = o.Beta * _avg + (1 - o.Beta) * loss;   // same recurrence as Smooth
            _pow *= o.Beta;
            double smoothed = _avg / (1 - _pow);
            var point = new LrRangePoint(step, lr, loss, smoothed);
            Points.Add(point);
            onPoint?.Invoke(point);
            if (smoothed < _best) _best = smoothed;
            if (o.StopOnDivergence && Diverged(smoothed, _best, o.DivergenceFactor))
            {
                StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"stopped at step {step + 1} of {o.Steps} (lr {lr:G3}): the smoothed loss {smoothed:G4} exceeds {o.DivergenceFactor:G3}x the best {_best:G4}.");
                context.RequestStop(StopReason);
            }
            else if (Points.Count == o.Steps) context.RequestStop($"the range test ran its {o.Steps} steps");
        }
    }
}
