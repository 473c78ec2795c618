using NetNumerics.Training.Checkpoints;
using NetNumerics.Schedules;
using NetNumerics.Nn;
using NetNumerics.Data;
using System.Diagnostics;
using NetNumerics.Optimizers;
using NetNumerics.Distributed;
using NetNumerics.Training.Distributed;

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
/// same bits as one that never stopped. After every update the weights are checked (one max-magnitude pass over each
/// tensor, negligible beside the step): a NaN or infinite weight stops the run at once with a reason starting
/// <see cref="NonFiniteWeightsReason"/>, and that epoch is not reported as completed, so no checkpoint saves it.
/// A batch larger than the training set is the whole set (one batch per epoch).
/// </summary>
public sealed class Trainer
{
    OptimizerSet? _set;
    double _multiplier;
    TrainingContext? _context;
    internal readonly List<EpochLogs> HistoryList = [];

    /// <summary>The start of <see cref="TrainingResult.StopReason"/> when an update left a weight NaN or infinite.</summary>
    public const string NonFiniteWeightsReason = "NonFiniteWeights";

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

    /// <summary>
    /// Parameter groups (each with its own optimizer options, weight decay, learning-rate multiplier, clipping) for the
    /// <see cref="OptimizerSet"/> of every Fit; null = <see cref="Optimizer"/> and Options.Clipping for every tensor.
    /// Checkpoints record which group each tensor belonged to (metadata key <see cref="GroupsMetadataKey"/>): a resume must
    /// route every tensor to a group of the same name (the groups' settings themselves are the caller's to give again).
    /// </summary>
    public ParameterGrouping? Grouping { get; init; }

    /// <summary>The checkpoint metadata key of the parameter groups: "tensor=group" per tensor in model order, joined by ';' (absent without a grouping).</summary>
    public const string GroupsMetadataKey = "parameter_groups";

    /// <summary>"tensor=group;..." for the current optimizer set, or null without a grouping.</summary>
    string? GroupsText() => Grouping is null || _set is null ? null
        : string.Join(";", Model.Parameters.Select((p, i) => $"{p.Name}={_set.GroupNames[_set.GroupOf(i)]}"));

    /// <summary>
    /// The ranks of a data-parallel job (null = one process). Every rank runs the same Fit on the same data with a model that
    /// splits each batch over the ranks (FastModel with the same communicator); the trainer then writes checkpoints on rank 0
    /// only, stops every rank after the same batch when any rank is cancelled, and checks after every epoch that all ranks hold
    /// bit-identical weights and optimizer states (<see cref="RankAgreement.CheckSameWeights"/>: an <see cref="MpiException"/>
    /// naming the ranks that differ).
    /// </summary>
    public ICommunicator? Ranks { get; init; }

    bool IsRoot => Ranks is null || Ranks.Rank == 0;

    /// <summary>Cancellation as every rank sees it: one rank's Ctrl-C stops all of them after the same batch.</summary>
    bool Cancelled(CancellationToken cancellation) =>
        Ranks is { Size: > 1 } r ? RankAgreement.Any(r, cancellation.IsCancellationRequested) : cancellation.IsCancellationRequested;

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
    /// Evaluates <paramref name="test"/> at the end if given. When <paramref name="cancellation"/> is cancelled
    /// (Ctrl-C, say), the batch in flight is finished and Fit returns at once with
    /// <see cref="TrainingResult.Interrupted"/> holding the state after it (write it with CheckpointFile.Write and resume
    /// from it for the bits of an uninterrupted run); validation and test evaluation are then skipped.
    /// </summary>
    public TrainingResult Fit(Dataset train, Dataset? test = null, IEnumerable<Callback>? callbacks = null,
        TrainingCheckpoint? resume = null, CancellationToken cancellation = default)
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
        int micro = Options.BatchSize;   // one update per batch of k micro-batches; a batch larger than the set is the whole set
        int batch = Options.DropLastBatch ? Options.UpdateBatchSize : Math.Min(Options.UpdateBatchSize, nTrain);
        var accumulating = Options.AccumulationSteps == 1 ? null : Model as IAccumulatingModel
            ?? throw new ArgumentException(
                $"AccumulationSteps = {Options.AccumulationSteps} needs a model that accumulates gradients (IAccumulatingModel, e.g. FastModel); {Model.GetType().Name} does not.", "options");
        if (accumulating is not null && micro % accumulating.AccumulationQuantum != 0)
            throw new ArgumentException(
                $"AccumulationSteps = {Options.AccumulationSteps} with BatchSize = {micro}: {Model.GetType().Name} gives the bits of one batch of {batch} only for micro-batches " +
                $"of a multiple of {accumulating.AccumulationQuantum} samples; use BatchSize {Math.Max(accumulating.AccumulationQuantum, micro / accumulating.AccumulationQuantum * accumulating.AccumulationQuantum)} or {(micro / accumulating.AccumulationQuantum + 1) * accumulating.AccumulationQuantum}.", "options");
        int batches = Options.DropLastBatch ? nTrain / batch : (nTrain + batch - 1) / batch;
        if (batches == 0)
            throw new ArgumentException(
                $"train has {nTrain} training samples, fewer than one batch of {batch}, and DropLastBatch skips partial batches.", nameof(train));
        int len = Model.InputLength;

        var ctx = _context = new TrainingContext(this, nTrain, nVal, batches);
        HistoryList.Clear();
        var ps = Model.Parameters;
        // Clipping (by value, then by global norm, as Options.Clipping says) and the update, on the caller's path.
        _set = new OptimizerSet(Optimizer, Clipper, ps, Options.Clipping, Grouping);
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
        TrainingCheckpoint? interrupted = null;
        for (int epoch = startEpoch; epoch < Options.Epochs && !ctx.StopTraining; epoch++)
        {
            bool midEpoch = epoch == startEpoch && startBatch > 0;
            if (Cancelled(cancellation))
            {
                interrupted = Capture(ctx, epoch, midEpoch ? startBatch : 0, midEpoch ? running : default, nTrain, cbs);
                break;
            }
            ctx.Epoch = epoch;
            var clock = Stopwatch.StartNew();
            if (!midEpoch)
            {
                running = default;
                if (Options.ScheduleGranularity == ScheduleGranularity.PerEpoch) Refresh(epoch);
                foreach (var cb in cbs) cb.OnEpochBegin(ctx, epoch);
            }
            if (Options.Shuffle) EpochShuffle.Fill(Options.Seed, epoch, order);
            else for (int i = 0; i < nTrain; i++) order[i] = i;

            int applied = midEpoch ? startBatch : 0;
            bool weightsBroken = false;
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
                var r = accumulating is null
                    ? Model.TrainStep(inputs.AsSpan(0, count * len), labels.AsSpan(0, count), Options.Seed, ctx.Iteration)
                    : AccumulatedStep(accumulating, inputs, labels, count, micro, len, ctx.Iteration);
                running += r;
                var logs = new BatchLogs(epoch, b, batches, ctx.Iteration, r, running, CurrentLearningRate);
                foreach (var cb in cbs) cb.OnGradients(ctx, logs);
                if (ctx.StopTraining) break;   // the update is skipped: weights stay as they were before this batch
                _set.Step(ps, CurrentLearningRate);
                ctx.Iteration++;
                applied++;
                if (NonFiniteWeight(ps) is { } bad)
                {
                    weightsBroken = true;
                    ctx.RequestStop($"{NonFiniteWeightsReason}: epoch {epoch + 1}, batch {b + 1}/{batches} (step {ctx.Iteration - 1}): the update left {bad}; the weights are unusable.");
                }
                foreach (var cb in cbs) cb.OnBatchEnd(ctx, logs);
                if (weightsBroken) { ctx.CheckpointRequests.Clear(); break; }   // never save the broken weights
                WriteRequestedCheckpoints(ctx, epoch, b + 1, running, nTrain);
                if (Cancelled(cancellation) && !ctx.StopTraining)
                {
                    interrupted = Capture(ctx, epoch, b + 1, running, nTrain, cbs);
                    break;
                }
            }
            if (interrupted is not null) break;

            var val = nVal > 0 ? Evaluate(train, nTrain, nVal) : default;
            var epochLogs = new EpochLogs(epoch, running.MeanLoss, running.Accuracy,
                nVal > 0 ? val.MeanLoss : null, nVal > 0 ? val.Accuracy : null, CurrentLearningRate, clock.Elapsed.TotalSeconds);
            HistoryList.Add(epochLogs);
            if (Ranks is { Size: > 1 } ranks) RankAgreement.CheckSameWeights(ranks, ps, _set.States, $"after epoch {epoch + 1}");
            ctx.EpochCompleted = applied == batches && !weightsBroken;
            foreach (var cb in cbs) cb.OnEpochEnd(ctx, epochLogs);
            WriteRequestedCheckpoints(ctx, epoch + 1, 0, default, nTrain);
            foreach (var cb in cbs) cb.OnEpochCommitted(ctx, epochLogs);
        }

        foreach (var cb in cbs) cb.OnTrainEnd(ctx);
        BatchResult? testResult = test is null || interrupted is not null ? null : Evaluate(test, 0, test.Count);
        _context = null;
        return new TrainingResult(HistoryList.ToArray(), testResult, ctx.StopReason, ctx.Iteration) { Interrupted = interrupted };
    }

    /// <summary>"'name' NaN at index i (k of n values)" for the first tensor with a non-finite value, else null.</summary>
    static string? NonFiniteWeight(IReadOnlyList<Parameter> ps)
    {
        foreach (var p in ps)
        {
            var v = p.Values.Span;
            if (v.Length == 0 || float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(v))) continue;   // NaN and ±Inf reach the max magnitude
            int first = -1, count = 0;
            for (int i = 0; i < v.Length; i++)
                if (!float.IsFinite(v[i])) { count++; if (first < 0) first = i; }
            return $"'{p.Name}' {v[first]} at index {first} ({count} of {v.Length} values not finite)";
        }
        return null;
    }

    /// <summary>The gradient of one batch of <paramref name="count"/> samples from micro-batches of <paramref name="micro"/>, in order.</summary>
    BatchResult AccumulatedStep(IAccumulatingModel model, float[] inputs, int[] labels, int count, int micro, int len, long iteration)
    {
        var total = default(BatchResult);
        for (int offset = 0; offset < count; offset += micro)
        {
            int m = Math.Min(micro, count - offset);
            total += model.TrainStep(inputs.AsSpan(offset * len, m * len), labels.AsSpan(offset, m), Options.Seed, iteration, new MicroBatch(offset, count));
        }
        return total;
    }

    /// <summary>
    /// Loss and accuracy of the model on samples [start, start + count) of <paramref name="data"/>, in batches of
    /// Options.BatchSize. With an optimizer that evaluates elsewhere (<see cref="IEvaluationWeights"/>: Schedule-Free's
    /// average x) those weights are swapped in for the evaluation and the training weights put back after, bit for bit.
    /// </summary>
    public BatchResult Evaluate(Dataset data, int start, int count)
    {
        if (_set is not { HasEvaluationWeights: true } set) return EvaluateAsIs(data, start, count);
        set.SwapInEvaluationWeights(Model.Parameters);
        try { return EvaluateAsIs(data, start, count); }
        finally { set.RestoreTrainingWeights(Model.Parameters); }
    }

    /// <summary>The optimizer set of the last Fit (per-tensor states and groups; its evaluation weights), or null before one.</summary>
    public OptimizerSet? OptimizerSet => _set;

    BatchResult EvaluateAsIs(Dataset data, int start, int count)
    {
        int len = Model.InputLength;
        var total = default(BatchResult);
        for (long s = start; s < (long)start + count; s += Options.BatchSize)   // long: start + BatchSize may pass int.MaxValue
        {
            int at = (int)s, m = (int)Math.Min(Options.BatchSize, (long)start + count - s);
            total += Model.Evaluate(data.Images.AsSpan(at * len, m * len), data.Labels.AsSpan(at, m));
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
        if (IsRoot)   // the ranks hold the same bits: rank 0 writes for all
        {
            var ckpt = Capture(ctx, epoch, batch, running, nTrain, _lastCallbacks);
            foreach (var path in ctx.CheckpointRequests) CheckpointFile.Write(path, ckpt);
        }
        ctx.CheckpointRequests.Clear();
    }

    Callback[] _lastCallbacks = [];

    TrainingCheckpoint Capture(TrainingContext ctx, int epoch, int batch, BatchResult running, int nTrain, Callback[] cbs) => new()
    {
        Seed = Options.Seed,
        BatchSize = Options.UpdateBatchSize,   // samples per update: a run with k micro-batches of b resumes as one with batches of k*b
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
        Metadata = WithGroups(new Dictionary<string, string>(Metadata, StringComparer.Ordinal)),
        Parameters = Model.Parameters.Select(p => new ParameterSnapshot(p.Name, p.Shape.ToArray(), p.Values.ToArray())).ToArray(),
        OptimizerName = Optimizer.Name,
        OptimizerStates = OptimizerStates.Select(s => s.Clone()).ToArray(),
        History = HistoryList.ToArray(),
        CallbackStates = Keyed(cbs).Select(k => (k.Key, State: k.Callback.SaveState()))
            .Where(k => k.State is not null)
            .Select(k => new KeyValuePair<string, CallbackState>(k.Key, k.State!)).ToArray(),
    };

    Dictionary<string, string> WithGroups(Dictionary<string, string> m)
    {
        if (GroupsText() is { } groups) m[GroupsMetadataKey] = groups;
        return m;
    }

    /// <summary>Puts the model, optimizer, learning-rate multiplier and history back as the checkpoint has them, after checking it fits this run.</summary>
    void Restore(TrainingCheckpoint c, int nTrain)
    {
        try { c.Validate(); }
        catch (CheckpointFormatException e) { throw new ArgumentException($"the checkpoint is {e.Message}", "resume"); }
        void Same<T>(string what, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now))
                throw new ArgumentException($"the checkpoint was written with {what} {saved}, but this run has {now}; resume needs the same.", "resume");
        }
        Same("seed", c.Seed, Options.Seed);
        Same("batch size", c.BatchSize, Options.UpdateBatchSize);   // samples per update
        Same("validation split", c.ValidationSplit, Options.ValidationSplit);
        Same("training samples (after the validation split)", c.TrainCount, nTrain);
        Same("schedule granularity", c.Granularity, Options.ScheduleGranularity);
        Same("shuffle", c.Shuffle, Options.Shuffle);
        Same("optimizer", c.OptimizerName, Optimizer.Name);
        string savedGroups = c.Metadata.GetValueOrDefault(GroupsMetadataKey) ?? "no parameter groups", groupsNow = GroupsText() ?? "no parameter groups";
        if (savedGroups != groupsNow)
            throw new ArgumentException(
                $"the checkpoint's parameter groups are [{Shorten(savedGroups)}], but this run has [{Shorten(groupsNow)}]; resume needs the same grouping.", "resume");
        c.CheckMatches(Model);
        var ps = Model.Parameters;
        for (int i = 0; i < ps.Count; i++)
        {
            var fresh = _set!.States[i];
            var saved = c.OptimizerStates[i];
            if (saved.Length != ps[i].Length || saved.Optimizer != fresh.Optimizer || !saved.SlotNames.SequenceEqual(fresh.SlotNames)
                || !saved.ScalarNames.SequenceEqual(fresh.ScalarNames))
                throw new ArgumentException(
                    $"the checkpoint's optimizer state for '{ps[i].Name}' is {saved.Optimizer} with length {saved.Length}, slots [{string.Join(", ", saved.SlotNames)}] and scalars [{string.Join(", ", saved.ScalarNames)}], " +
                    $"but {fresh.Optimizer} needs length {ps[i].Length}, slots [{string.Join(", ", fresh.SlotNames)}] and scalars [{string.Join(", ", fresh.ScalarNames)}].", "resume");
            if (!saved.SameLayout(fresh))
                throw new ArgumentException(
                    $"the checkpoint's optimizer state for '{ps[i].Name}' has shape [{string.Join(", ", saved.Shape)}] and slots [{saved.DescribeSlots()}], " +
                    $"but {fresh.Optimizer} needs shape [{string.Join(", ", fresh.Shape)}] and slots [{fresh.DescribeSlots()}].", "resume");
            fresh.CopyFrom(saved);
            c.Parameters[i].Values.CopyTo(ps[i].Values);
        }
        _multiplier = c.LearningRateMultiplier;
        HistoryList.AddRange(c.History);
    }

    static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "...";
}
