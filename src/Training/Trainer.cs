using NetNumerics.Training.Checkpoints;
using NetNumerics.Schedules;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.Diagnostics;
using NetNumerics.Optimizers;

namespace NetNumerics.Training;

/// <summary>
/// Mini-batch training of an <see cref="IModel"/> with any <see cref="IOptimizer"/> and optional
/// <see cref="ISchedule"/>, Keras-style: the validation set is the LAST <see cref="TrainingOptions.ValidationSplit"/>
/// of the training set (taken before shuffling), the rest is shuffled every epoch by <see cref="EpochShuffle"/>
/// and cut into batches (the last, partial batch included); the reported training loss/accuracy is the
/// sample-weighted running mean over the epoch's batches. Learning rate at a step:
/// lr = (schedule?.At(step) ?? 1) * multiplier, where the multiplier starts at Options.LearningRate without a
/// schedule (1 with one) and is changed by callbacks through <see cref="TrainingContext.SetLearningRate"/>.
/// Everything a run depends on is (options, weights, optimizer states, epoch, batch, iteration, multiplier,
/// history, callback states), which a <see cref="TrainingCheckpoint"/> captures, so a resumed run ends with the
/// same bits as one that never stopped.
/// </summary>
public sealed class Trainer
{
    OptimizerSet? _set;
    double _multiplier;
    TrainingContext? _context;
    internal readonly List<EpochLogs> HistoryList = [];

    /// <param name="model">The model to train (Reference or Fast: the trainer does not care).</param>
    /// <param name="optimizer">The update rule, of the same path as the model (ReferenceOptimizers.For or FastOptimizers.For).</param>
    /// <param name="options">Epochs, batch size, validation split, seed, clipping; defaults as Keras' fit.</param>
    /// <param name="schedule">The learning rate per epoch or per iteration (Options.ScheduleGranularity); null for a constant rate.</param>
    /// <param name="clipper">Gradient clipping of the same path as the optimizer; required when Options.Clipping clips.</param>
    public Trainer(IModel model, IOptimizer optimizer, TrainingOptions? options = null, ISchedule? schedule = null, IGradientClipper? clipper = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Optimizer = optimizer;
        Options = (options ?? new TrainingOptions()).Validate();
        Schedule = schedule;
        if (clipper is null && Options.Clipping.Clips)
            throw new ArgumentException(
                $"options.Clipping clips ({Options.Clipping}), so a clipper is required: pass ReferenceClipping.Instance or FastClipping.Instance.", nameof(clipper));
        Clipper = clipper;
    }

    /// <summary>The model being trained.</summary>
    public IModel Model { get; }
    /// <summary>The update rule.</summary>
    public IOptimizer Optimizer { get; }
    /// <summary>The validated options.</summary>
    public TrainingOptions Options { get; }
    /// <summary>The learning-rate schedule, or null for <see cref="TrainingOptions.LearningRate"/> throughout.</summary>
    public ISchedule? Schedule { get; }

    /// <summary>The gradient clipper handed in (null when the options do not clip).</summary>
    public IGradientClipper? Clipper { get; }

    /// <summary>Free-form strings saved in every checkpoint (the CLI stores its run settings here).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Optimizer state per parameter, in model order (empty before the first Fit).</summary>
    public IReadOnlyList<OptimizerState<float>> OptimizerStates => _set?.States ?? [];

    internal double CurrentLearningRate { get; private set; }

    /// <summary>Optimizer states a fresh run starts from (copied, never modified); null = the optimizer's Init. The range test uses it.</summary>
    internal IReadOnlyList<OptimizerState<float>>? StartStates { get; init; }

    long ScheduleStep(TrainingContext c) => Options.ScheduleGranularity == ScheduleGranularity.PerEpoch ? c.Epoch : c.Iteration;

    double Base(long step)
    {
        if (Schedule is null) return 1.0;
        double b = Schedule.At(step);
        if (!double.IsFinite(b) || b < 0)
            throw new InvalidOperationException($"the schedule gave learning rate {b} at step {step}; it must be finite and >= 0.");
        return b;
    }

    void Refresh(long step) => CurrentLearningRate = Base(step) * _multiplier;

    internal void SetLearningRate(double lr)
    {
        double b = Base(ScheduleStep(_context!));
        if (b == 0)
            throw new InvalidOperationException(
                $"cannot set the learning rate to {lr}: the schedule is 0 at step {ScheduleStep(_context!)}, so no multiplier reaches it.");
        _multiplier = lr / b;
        CurrentLearningRate = lr;
    }

    /// <summary>
    /// Trains for Options.Epochs epochs (fewer if a callback stops the run), starting a fresh run (epoch 0,
    /// new optimizer state, empty history) or continuing the run saved in <paramref name="resume"/>.
    /// Evaluates <paramref name="test"/> at the end if given.
    /// </summary>
    public TrainingResult Fit(Dataset train, Dataset? test = null, IEnumerable<Callback>? callbacks = null,
        TrainingCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckData(train, nameof(train));
        if (test is not null) CheckData(test, nameof(test));
        var cbs = _lastCallbacks = (callbacks ?? []).ToArray();

        int n = train.Count;
        int nTrain = (int)Math.Floor(n * (1.0 - Options.ValidationSplit));   // Keras: split_at = floor(n * (1 - split))
        int nVal = n - nTrain;
        if (nTrain == 0)
            throw new ArgumentException(
                $"train has {n} samples; after holding out validation split {Options.ValidationSplit} none is left to train on.", nameof(train));
        int batch = Options.BatchSize;
        int batches = Options.DropLastBatch ? nTrain / batch : (nTrain + batch - 1) / batch;
        if (batches == 0)
            throw new ArgumentException(
                $"train has {nTrain} training samples, fewer than one batch of {batch}, and DropLastBatch skips partial batches.", nameof(train));
        int len = Model.InputLength;

        var ctx = _context = new TrainingContext(this, nTrain, nVal, batches);
        HistoryList.Clear();
        var ps = Model.Parameters;
        // Clipping (by value, then by global norm, as Options.Clipping says) and the update, on the caller's path.
        _set = new OptimizerSet(Optimizer, Clipper, ps, Options.Clipping);
        if (StartStates is not null) _set.CopyStatesFrom(StartStates);
        _multiplier = Schedule is null ? Options.LearningRate : 1.0;

        int startEpoch = 0, startBatch = 0;
        var running = default(BatchResult);
        if (resume is not null)
        {
            Restore(resume, nTrain);
            startEpoch = resume.Epoch; startBatch = resume.Batch; running = resume.Running;
            ctx.Iteration = resume.Iteration;
            ctx.Epoch = resume.Epoch;
            CurrentLearningRate = resume.LearningRate;
            if (resume.Stopped) ctx.RequestStop(resume.StopReason ?? "stopped before the checkpoint was written");
        }
        else
        {
            ctx.Epoch = 0;
            Refresh(0);
        }

        foreach (var cb in cbs) cb.OnTrainBegin(ctx);
        if (resume is not null) LoadCallbackStates(cbs, resume);

        var inputs = new float[batch * len];
        var labels = new int[batch];
        var order = new int[nTrain];
        for (int epoch = startEpoch; epoch < Options.Epochs && !ctx.StopTraining; epoch++)
        {
            ctx.Epoch = epoch;
            var clock = Stopwatch.StartNew();
            bool midEpoch = epoch == startEpoch && startBatch > 0;
            if (!midEpoch)
            {
                running = default;
                if (Options.ScheduleGranularity == ScheduleGranularity.PerEpoch) Refresh(epoch);
                foreach (var cb in cbs) cb.OnEpochBegin(ctx, epoch);
            }
            if (Options.Shuffle) EpochShuffle.Fill(Options.Seed, epoch, order);
            else for (int i = 0; i < nTrain; i++) order[i] = i;

            int applied = midEpoch ? startBatch : 0;
            for (int b = applied; b < batches && !ctx.StopTraining; b++)
            {
                int start = b * batch, count = Math.Min(batch, nTrain - start);
                for (int k = 0; k < count; k++)
                {
                    int s = order[start + k];
                    train.Images.AsSpan(s * len, len).CopyTo(inputs.AsSpan(k * len, len));
                    labels[k] = train.Labels[s];
                }
                if (Options.ScheduleGranularity == ScheduleGranularity.PerIteration) Refresh(ctx.Iteration);
                var r = Model.TrainStep(inputs.AsSpan(0, count * len), labels.AsSpan(0, count), Options.Seed, ctx.Iteration);
                running += r;
                var logs = new BatchLogs(epoch, b, batches, ctx.Iteration, r, running, CurrentLearningRate);
                foreach (var cb in cbs) cb.OnGradients(ctx, logs);
                if (ctx.StopTraining) break;   // the update is skipped: weights stay as they were before this batch
                _set.Step(ps, CurrentLearningRate);
                ctx.Iteration++;
                applied++;
                foreach (var cb in cbs) cb.OnBatchEnd(ctx, logs);
                WriteRequestedCheckpoints(ctx, epoch, b + 1, running, nTrain);
            }

            var val = nVal > 0 ? Evaluate(train, nTrain, nVal) : default;
            var epochLogs = new EpochLogs(epoch, running.MeanLoss, running.Accuracy,
                nVal > 0 ? val.MeanLoss : null, nVal > 0 ? val.Accuracy : null, CurrentLearningRate, clock.Elapsed.TotalSeconds);
            HistoryList.Add(epochLogs);
            ctx.EpochCompleted = applied == batches;
            foreach (var cb in cbs) cb.OnEpochEnd(ctx, epochLogs);
            WriteRequestedCheckpoints(ctx, epoch + 1, 0, default, nTrain);
        }

        foreach (var cb in cbs) cb.OnTrainEnd(ctx);
        BatchResult? testResult = test is null ? null : Evaluate(test, 0, test.Count);
        _context = null;
        return new TrainingResult(HistoryList.ToArray(), testResult, ctx.StopReason, ctx.Iteration);
    }

    /// <summary>Loss and accuracy of the model on samples [start, start + count) of <paramref name="data"/>, in batches of Options.BatchSize.</summary>
    public BatchResult Evaluate(Dataset data, int start, int count)
    {
        int len = Model.InputLength;
        var total = default(BatchResult);
        for (int s = start; s < start + count; s += Options.BatchSize)
        {
            int m = Math.Min(Options.BatchSize, start + count - s);
            total += Model.Evaluate(data.Images.AsSpan(s * len, m * len), data.Labels.AsSpan(s, m));
        }
        return total;
    }

    void CheckData(Dataset d, string name)
    {
        if (d.SampleLength != Model.InputLength)
            throw new ArgumentException(
                $"{name} samples have {d.Channels}x{d.Height}x{d.Width} = {d.SampleLength} floats, but the model takes {Model.InputLength}.", name);
        if (d.Classes != Model.Classes)
            throw new ArgumentException($"{name} has {d.Classes} classes, but the model predicts {Model.Classes}.", name);
    }

    static string Key(Callback cb, int occurrence) => $"{cb.GetType().FullName}#{occurrence}";

    static IEnumerable<(string Key, Callback Callback)> Keyed(Callback[] cbs)
    {
        var seen = new Dictionary<Type, int>();
        foreach (var cb in cbs)
        {
            seen.TryGetValue(cb.GetType(), out int k);
            seen[cb.GetType()] = k + 1;
            yield return (Key(cb, k), cb);
        }
    }

    void LoadCallbackStates(Callback[] cbs, TrainingCheckpoint ckpt)
    {
        var states = ckpt.CallbackStates.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (key, cb) in Keyed(cbs))
            if (states.TryGetValue(key, out var st)) cb.LoadState(st);
    }

    void WriteRequestedCheckpoints(TrainingContext ctx, int epoch, int batch, BatchResult running, int nTrain)
    {
        if (ctx.CheckpointRequests.Count == 0) return;
        var ckpt = Capture(ctx, epoch, batch, running, nTrain, _lastCallbacks);
        foreach (var path in ctx.CheckpointRequests) CheckpointFile.Write(path, ckpt);
        ctx.CheckpointRequests.Clear();
    }

    Callback[] _lastCallbacks = [];

    TrainingCheckpoint Capture(TrainingContext ctx, int epoch, int batch, BatchResult running, int nTrain, Callback[] cbs) => new()
    {
        Seed = Options.Seed,
        BatchSize = Options.BatchSize,
        ValidationSplit = Options.ValidationSplit,
        TrainCount = nTrain,
        Granularity = Options.ScheduleGranularity,
        Shuffle = Options.Shuffle,
        Epoch = epoch,
        Batch = batch,
        Iteration = ctx.Iteration,
        LearningRateMultiplier = _multiplier,
        LearningRate = CurrentLearningRate,
        Running = running,
        Stopped = ctx.StopTraining,
        StopReason = ctx.StopReason,
        Metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal),
        Parameters = Model.Parameters.Select(p => new ParameterSnapshot(p.Name, p.Shape.ToArray(), p.Values.ToArray())).ToArray(),
        OptimizerName = Optimizer.Name,
        OptimizerStates = OptimizerStates.Select(s => s.Clone()).ToArray(),
        History = HistoryList.ToArray(),
        CallbackStates = Keyed(cbs).Select(k => (k.Key, State: k.Callback.SaveState()))
            .Where(k => k.State is not null)
            .Select(k => new KeyValuePair<string, CallbackState>(k.Key, k.State!)).ToArray(),
    };

    /// <summary>Puts the model, optimizer, learning-rate multiplier and history back as the checkpoint has them, after checking it fits this run.</summary>
    void Restore(TrainingCheckpoint c, int nTrain)
    {
        void Same<T>(string what, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now))
                throw new ArgumentException($"the checkpoint was written with {what} {saved}, but this run has {now}; resume needs the same.", "resume");
        }
        Same("seed", c.Seed, Options.Seed);
        Same("batch size", c.BatchSize, Options.BatchSize);
        Same("validation split", c.ValidationSplit, Options.ValidationSplit);
        Same("training samples (after the validation split)", c.TrainCount, nTrain);
        Same("schedule granularity", c.Granularity, Options.ScheduleGranularity);
        Same("shuffle", c.Shuffle, Options.Shuffle);
        Same("optimizer", c.OptimizerName, Optimizer.Name);
        c.CheckMatches(Model);
        var ps = Model.Parameters;
        for (int i = 0; i < ps.Count; i++)
        {
            var fresh = _set!.States[i];
            var saved = c.OptimizerStates[i];
            if (saved.Length != ps[i].Length || !saved.SlotNames.SequenceEqual(fresh.SlotNames))
                throw new ArgumentException(
                    $"the checkpoint's optimizer state for '{ps[i].Name}' has length {saved.Length} and slots [{string.Join(", ", saved.SlotNames)}], " +
                    $"but {Optimizer.Name} needs length {ps[i].Length} and slots [{string.Join(", ", fresh.SlotNames)}].", "resume");
            fresh.Step = saved.Step;
            for (int s = 0; s < fresh.SlotNames.Count; s++) saved.SlotAt(s).CopyTo(fresh.SlotAt(s));
            c.Parameters[i].Values.CopyTo(ps[i].Values);
        }
        _multiplier = c.LearningRateMultiplier;
        HistoryList.AddRange(c.History);
    }
}
