using System.Globalization;
using NetNumerics.Distributed;
using NetNumerics.Training.Distributed;

namespace NetNumerics.Cli.Runs;

/// <summary>
/// `train` under an MPI launcher (<c>mpiexec -n N</c>, <c>srun</c>): MPI started once per process, rank 0 the only one
/// that prints and writes, the others silent (their MPI failures and the watchdog's line still reach stderr), and one
/// line on rank 0 mapping every rank to its process id and host, so a launcher's "PID ... RUNNING AT host" names a rank.
/// </summary>
sealed class MpiRun : IDisposable
{
    /// <summary>Seconds a collective may wait for the other ranks before the job is aborted (default 60).</summary>
    public const string PatienceVariable = "NETNUMERICS_MPI_TIMEOUT";

    /// <summary>How long the other ranks wait for rank 0 to fetch the data (npm download) before giving up.</summary>
    public static readonly TimeSpan DataPatience = TimeSpan.FromMinutes(30);

    MpiRun(MpiLaunch launch, MpiCommunicator ranks) { Launch = launch; Ranks = ranks; }

    public MpiLaunch Launch { get; }
    public MpiCommunicator Ranks { get; }
    public bool IsRoot => Ranks.Rank == 0;

    /// <summary>MPI for this process when a launcher started it as one of several ranks, else null (an ordinary run).</summary>
    public static MpiRun? StartIfLaunched(MpiLaunch? launch)
    {
        if (launch is not { IsDistributed: true }) return null;
        return new MpiRun(launch, MpiCommunicator.Start(launch, Patience(), Console.Error));
    }

    /// <summary>
    /// The rank counts a run can use, checked from the launcher's variables before MPI starts (every rank fails alike): a
    /// power of two up to the batch's chunks of 8 (the Fast CNN's reduction tree splits into that many whole subtrees), and no
    /// gradient accumulation.
    /// </summary>
    public static void CheckRanks(MpiLaunch? launch, int batchSize, int accumulate)
    {
        if (launch is not { IsDistributed: true }) return;
        int chunks = (batchSize + Fast.Nn.FastModel.ChunkSize - 1) / Fast.Nn.FastModel.ChunkSize;
        if (!System.Numerics.BitOperations.IsPow2(launch.Size) || launch.Size > chunks)
        {
            var fit = Enumerable.Range(0, 31).Select(k => 1 << k).TakeWhile(n => n <= chunks).ToArray();
            throw new UsageException(
                $"{launch.Size} ranks ({launch.Launcher}): a batch of {batchSize} is {chunks} chunk{(chunks == 1 ? "" : "s")} of {Fast.Nn.FastModel.ChunkSize}, and its reduction tree splits " +
                $"into whole subtrees only over a power of two of ranks up to {fit[^1]}: launch {string.Join(", ", fit[..^1])}{(fit.Length > 1 ? " or " : "")}{fit[^1]} ranks, or raise --batch-size.");
        }
        if (accumulate > 1)
            throw new UsageException($"--accumulate {accumulate} does not run over MPI yet; use --batch-size {(long)batchSize * accumulate} (the same bits) or one process.");
    }

    /// <summary>The watchdog's patience from <see cref="PatienceVariable"/> (seconds, &gt; 0), default 60 s.</summary>
    public static TimeSpan Patience()
    {
        string? text = Environment.GetEnvironmentVariable(PatienceVariable);
        if (string.IsNullOrEmpty(text)) return TimeSpan.FromSeconds(60);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !double.IsFinite(s) || s <= 0 || s > 86400)
            throw new UsageException($"{PatienceVariable} is '{text}', not a number of seconds in (0, 86400].");
        return TimeSpan.FromSeconds(s);
    }

    /// <summary>Threads per rank when --threads is not given: the machine's cores shared by the ranks on it.</summary>
    public int DefaultThreads()
    {
        int local = Ranks.Peers.Count(p => p.Host == Ranks.Peers[Ranks.Rank].Host);
        return Math.Max(1, Environment.ProcessorCount / Math.Max(1, local));
    }

    /// <summary>"MPI: 2 ranks x 1 thread (MPICH Hydra (PMI_RANK, PMI_SIZE)): rank 0 (pid 3315 on vm), rank 1 (pid 3316 on vm)".</summary>
    public string Describe(int threads) =>
        $"MPI: {Ranks.Size} ranks x {threads} thread{(threads == 1 ? "" : "s")} ({Launch.Launcher}): {string.Join(", ", Ranks.Peers)}";

    long bytesAtStart, collectivesAtStart; TimeSpan timeAtStart;

    /// <summary>Marks the start of training for <see cref="Traffic"/>.</summary>
    public void StartTraining()
    {
        bytesAtStart = Ranks.BytesSent; collectivesAtStart = Ranks.Collectives; timeAtStart = Ranks.CollectiveTime;
    }

    /// <summary>"MPI traffic of rank 0: 1.14 MB sent per step (...), 3.2 ms per step in collectives (...)" over <paramref name="steps"/> steps.</summary>
    public string Traffic(long steps)
    {
        if (steps <= 0) return "MPI traffic: no training step ran.";
        double mb = (Ranks.BytesSent - bytesAtStart) / 1e6 / steps, ms = (Ranks.CollectiveTime - timeAtStart).TotalMilliseconds / steps;
        return string.Create(CultureInfo.InvariantCulture,
            $"MPI traffic of rank {Ranks.Rank}: {mb:F3} MB sent per step ({Ranks.Collectives - collectivesAtStart} collectives over {steps} steps, validation included), {ms:F2} ms per step in collectives (transfer and waiting for the slowest rank)");
    }

    /// <summary>Rank 0 loads (and, when missing, fetches) the data first; the others read it once rank 0 has it.</summary>
    public T RootFirst<T>(Func<T> load)
    {
        if (IsRoot) { var r = load(); Ranks.Barrier(DataPatience); return r; }
        Ranks.Barrier(DataPatience);
        return load();
    }

    /// <summary>Finalizes MPI; only when every rank ends alike (see the train command).</summary>
    public void Dispose() => Ranks.Dispose();
}
