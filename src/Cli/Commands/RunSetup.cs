using NetNumerics.Reference.Schedules;
using NetNumerics.Data;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Schedules;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>
/// What train, compare and lr-find do alike between reading their flags and training: the --model network checked
/// against the data (one line naming the layer that does not fit, before anything is written), the model, and the
/// learning rate the trainer sees once Keras 2's optimizer <c>decay=</c> is folded into the schedule.
/// </summary>
static class RunSetup
{
    /// <summary>
    /// The network of --model on the data's shape, or (no --model) the seed CNN when the data has an MNIST or CIFAR-10
    /// shape, else null (the services' factory decides). A text that does not parse or fit is a UsageException.
    /// </summary>
    public static NetworkSpec? Model(string? text, Dataset train, string where = "--model")
    {
        if (text is null) return CliServices.SeedSpec(train.Channels, train.Height, train.Width, train.Classes);
        NetworkSpec spec;
        try { spec = NetworkText.Parse(text, new TensorShape(train.Channels, train.Height, train.Width)); }
        catch (ArgumentException e) { throw new UsageException($"{where}: {CommandKit.Message(e)}"); }
        if (spec.Classes != train.Classes)
            throw new UsageException($"{where}: the last layer of \"{NetworkText.Print(spec)}\" has {spec.Classes} units, but the data has {train.Classes} classes; end with dense{train.Classes}.");
        return spec;
    }

    /// <summary>How a summary names the network: its text form, or the model's type for a factory-made model.</summary>
    public static string Describe(NetworkSpec? spec, IModel model) => spec is null ? model.GetType().Name : NetworkText.Print(spec);

    /// <summary>The model the services build for this data and network; a shape the factory rejects is a UsageException.</summary>
    public static IModel CreateModel(CliServices services, Dataset train, NetworkSpec? spec, ulong seed, int threads, int maxBatch,
        Distributed.ICommunicator? ranks = null, bool winograd = true)
    {
        maxBatch = Math.Min(maxBatch, Math.Max(1, train.Count));   // a batch larger than the set is the whole set: no larger workspaces
        try
        {
            return services.CreateModel(new ModelRequest(train.Channels, train.Height, train.Width, train.Classes, seed, threads)
            { MaxBatch = maxBatch, Spec = spec, Ranks = ranks, Winograd = winograd });
        }
        catch (ArgumentException e) { throw new UsageException(CommandKit.Reason(e)); }
    }

    /// <summary>Batches per epoch as <see cref="Trainer"/> cuts them: floor(n * (1 - split)) samples, the last batch partial.</summary>
    public static int BatchesPerEpoch(int samples, double validationSplit, int batchSize)
    {
        int nTrain = (int)Math.Floor(samples * (1.0 - validationSplit));
        return Math.Max(1, (nTrain + batchSize - 1) / batchSize);
    }

    /// <summary>
    /// The schedule and granularity the trainer gets. Without Keras 2 decay: the schedule as given. With decay k the
    /// rate is multiplied at every iteration t (updates applied) by 1/(1 + k t) as Keras 2 did, on top of the schedule:
    /// no schedule -> <c>time:lr=lr,k=k</c> per iteration (the same bits as giving that schedule); a per-iteration
    /// schedule s -> <c>s(t) * time:lr=1,k=k</c>; a per-epoch schedule s -> <c>s(t div batchesPerEpoch) * time:lr=1,k=k</c>.
    /// </summary>
    public static (ISchedule? Schedule, ScheduleGranularity Granularity) LearningRate(OptimizerSpec optimizer, ISchedule? schedule, bool perIteration,
        double learningRate, int batchesPerEpoch)
    {
        var granularity = perIteration ? ScheduleGranularity.PerIteration : ScheduleGranularity.PerEpoch;
        if (optimizer.Decay == 0) return (schedule, granularity);
        if (schedule is null)
            return (new TimeBasedDecay { InitialLearningRate = learningRate, DecayRate = optimizer.Decay }, ScheduleGranularity.PerIteration);
        var decay = new TimeBasedDecay { InitialLearningRate = 1, DecayRate = optimizer.Decay };
        ISchedule byIteration = perIteration ? schedule
            : new FunctionSchedule(t => schedule.At(t / batchesPerEpoch), $"({schedule}) per epoch of {batchesPerEpoch} iterations");
        return (new ProductSchedule(byIteration, decay), ScheduleGranularity.PerIteration);
    }
}
