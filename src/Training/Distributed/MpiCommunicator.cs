using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NetNumerics.Distributed;

namespace NetNumerics.Training.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> over MPI (MPICH's ABI, <see cref="MpiNative"/>): a thin P/Invoke layer over MPI_Init_thread,
/// MPI_Comm_rank/size, MPI_Allgatherv of bytes, MPI_Barrier, MPI_Abort and MPI_Finalize, rather than MPI.NET 1.4.0, whose
/// object collectives need BinaryFormatter (removed from .NET 10) and which binds <c>msmpi.dll</c>. Errors return (MPI_ERRORS_RETURN) and become
/// <see cref="MpiException"/>s naming the call and the rank. A watchdog thread aborts the job (MPI_Abort, one line on stderr
/// naming the ranks that are gone) when a collective has waited longer than <see cref="Patience"/>: a rank that died, hangs or
/// left early never leaves the others waiting forever. At start the ranks exchange their process ids and hosts
/// (<see cref="Peers"/>), so the launcher's "PID ... RUNNING AT host" of a killed process can be read as a rank.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    const int HostBytes = 64;
    readonly int[] byteCounts, displacements;
    readonly Thread watchdog;
    long waitingSince;          // Stopwatch timestamp when the current collective started, 0 when none is in progress
    string waitingIn = "";
    volatile bool disposed;

    MpiCommunicator(int rank, int size, TimeSpan patience, TextWriter error)
    {
        Rank = rank; Size = size; Patience = patience; Error = error;
        byteCounts = new int[size]; displacements = new int[size];
        Peers = [];
        watchdog = new Thread(Watch) { IsBackground = true, Name = "MPI watchdog" };
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <summary>How long a collective may wait for the other ranks before the watchdog aborts the job.</summary>
    public TimeSpan Patience { get; }

    /// <summary>Where the watchdog writes its one line before it aborts.</summary>
    TextWriter Error { get; }

    /// <summary>Collective calls made so far (gathers and barriers).</summary>
    public long Collectives { get; private set; }

    /// <summary>Bytes this rank has sent in gathers so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Wall time spent inside collectives so far: the transfer and the wait for the slowest rank.</summary>
    public TimeSpan CollectiveTime => Stopwatch.GetElapsedTime(0, collectiveTicks);
    long collectiveTicks;

    /// <summary>Every rank's process id and host, in rank order.</summary>
    public IReadOnlyList<MpiPeer> Peers { get; private set; }

    /// <summary>
    /// Initializes MPI for the job <paramref name="launch"/> describes and checks that MPI sees the same rank and size as the
    /// launcher (a job launched by Open MPI's mpirun while MPICH is loaded would otherwise run as N separate single-process
    /// jobs). Call once per process; <see cref="Dispose"/> finalizes MPI.
    /// </summary>
    /// <param name="launch">The launch detected from the environment (<see cref="MpiLaunch.FromEnvironment"/>).</param>
    /// <param name="patience">How long a collective may wait before the watchdog aborts the job; &gt; 0.</param>
    /// <param name="error">Where the watchdog's message goes (stderr).</param>
    public static MpiCommunicator Start(MpiLaunch launch, TimeSpan patience, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(error);
        if (patience <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(patience), patience, "patience must be > 0.");
        MpiNative.Load();
        int initialized = 0, provided = 0, rank = -1, size = 0;
        Check(MpiNative.Initialized(&initialized), "MPI_Initialized", launch.Rank);
        if (initialized != 0) throw new MpiException("MPI is already initialized in this process; start one MpiCommunicator per process.");
        Check(MpiNative.InitThread(null, null, MpiNative.ThreadMultiple, &provided), "MPI_Init_thread", launch.Rank);
        Check(MpiNative.CommSetErrhandler(MpiNative.CommWorld, MpiNative.ErrorsReturn), "MPI_Comm_set_errhandler", launch.Rank);
        Check(MpiNative.CommRank(MpiNative.CommWorld, &rank), "MPI_Comm_rank", launch.Rank);
        Check(MpiNative.CommSize(MpiNative.CommWorld, &size), "MPI_Comm_size", launch.Rank);
        if (rank != launch.Rank || size != launch.Size)
        {
            MpiNative.Finalize();
            throw new MpiException(
                $"{launch.Launcher} started rank {launch.Rank} of {launch.Size}, but {MpiNative.LibraryName} sees rank {rank} of {size}: the launcher and the MPI library do not belong together " +
                "(launch with MPICH's mpiexec or mpiexec.mpich, or srun --mpi=pmi2 on Slurm; Open MPI's mpirun is not supported).");
        }
        var c = new MpiCommunicator(rank, size, patience, error);
        c.watchdog.Start();
        c.ExchangePeers();
        return c;
    }

    void ExchangePeers()
    {
        Span<byte> mine = stackalloc byte[4 + HostBytes];
        BitConverter.TryWriteBytes(mine, Environment.ProcessId);
        var host = Encoding.UTF8.GetBytes(Environment.MachineName);
        host.AsSpan(0, Math.Min(host.Length, HostBytes)).CopyTo(mine[4..]);
        var all = new byte[Size * mine.Length];
        var counts = Enumerable.Repeat(mine.Length, Size).ToArray();
        AllGather<byte>(mine, all, counts);
        Peers = Enumerable.Range(0, Size).Select(r =>
        {
            var entry = all.AsSpan(r * (4 + HostBytes), 4 + HostBytes);
            return new MpiPeer(r, BitConverter.ToInt32(entry), Encoding.UTF8.GetString(entry[4..]).TrimEnd('\0'));
        }).ToArray();
    }

    /// <inheritdoc />
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts) where T : unmanaged
    {
        if (counts.Length != Size) throw new ArgumentException($"counts has {counts.Length} entries, but the job has {Size} ranks.", nameof(counts));
        if (mine.Length != counts[Rank]) throw new ArgumentException($"rank {Rank} gives {mine.Length} elements, but counts[{Rank}] = {counts[Rank]}.", nameof(mine));
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            long bytes = (long)counts[r] * sizeof(T);
            if (counts[r] < 0 || bytes > int.MaxValue || total + bytes > int.MaxValue)
                throw new ArgumentException($"counts[{r}] = {counts[r]} elements of {sizeof(T)} bytes: a gather moves at most {int.MaxValue} bytes.", nameof(counts));
            byteCounts[r] = (int)bytes; displacements[r] = (int)total; total += bytes;
        }
        if (all.Length < total / sizeof(T)) throw new ArgumentException($"all has {all.Length} elements, fewer than the {total / sizeof(T)} gathered.", nameof(all));
        fixed (T* send = mine) fixed (T* receive = all) fixed (int* c = byteCounts) fixed (int* d = displacements)
        {
            Enter("MPI_Allgatherv");
            int rc = MpiNative.Allgatherv(send, byteCounts[Rank], MpiNative.Byte, receive, c, d, MpiNative.Byte, MpiNative.CommWorld);
            Leave();
            BytesSent += byteCounts[Rank];
            Check(rc, "MPI_Allgatherv", Rank);
        }
    }

    /// <inheritdoc />
    public void Barrier()
    {
        Enter("MPI_Barrier");
        int rc = MpiNative.Barrier(MpiNative.CommWorld);
        Leave();
        Check(rc, "MPI_Barrier", Rank);
    }

    /// <summary>Barrier that may wait longer than <see cref="Patience"/> (rank 0 fetching data while the others wait for it).</summary>
    /// <param name="patience">How long this barrier may wait before the watchdog aborts the job.</param>
    public void Barrier(TimeSpan patience)
    {
        Enter("MPI_Barrier", patience);
        int rc = MpiNative.Barrier(MpiNative.CommWorld);
        Leave();
        Check(rc, "MPI_Barrier", Rank);
    }

    /// <summary>Ends the whole job at once (MPI_Abort): every rank exits with <paramref name="code"/>.</summary>
    /// <param name="code">The exit code the launcher reports.</param>
    public void Abort(int code) => MpiNative.Abort(MpiNative.CommWorld, code);

    TimeSpan current;
    void Enter(string call, TimeSpan? patience = null)
    {
        waitingIn = call;
        current = patience ?? Patience;
        Volatile.Write(ref waitingSince, Stopwatch.GetTimestamp());
    }

    void Leave()
    {
        collectiveTicks += Stopwatch.GetTimestamp() - waitingSince;
        Collectives++;
        Volatile.Write(ref waitingSince, 0);
    }

    void Watch()
    {
        while (!disposed)
        {
            Thread.Sleep(250);
            long since = Volatile.Read(ref waitingSince);
            if (since == 0 || Stopwatch.GetElapsedTime(since) < current) continue;
            var gone = Peers.Where(p => p.Rank != Rank && p.Host == Environment.MachineName && !Alive(p.ProcessId)).ToArray();
            string who = gone.Length > 0 ? $"{string.Join(", ", gone)} {(gone.Length == 1 ? "is" : "are")} gone"
                : "the other ranks did not arrive (one died on another machine, hangs, or left the job early)";
            Error.WriteLine($"numerics: rank {Rank} of {Size} waited {current.TotalSeconds:0} s in {waitingIn} for the other ranks: {who}; aborting the job.");
            Error.Flush();
            MpiNative.Abort(MpiNative.CommWorld, 1);
            Thread.Sleep(5000);
            Environment.Exit(1);   // MPI_Abort did not end this process
        }
    }

    static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    static void Check(int rc, string call, int rank)
    {
        if (rc != MpiNative.Success) throw new MpiException($"{call} failed on rank {rank}: {MpiNative.Describe(rc)}.");
    }

    /// <summary>Finalizes MPI (every rank must call it; it waits for the others within <see cref="Patience"/>).</summary>
    public void Dispose()
    {
        if (disposed) return;
        int finalized = 0;
        MpiNative.Finalized(&finalized);
        if (finalized == 0)
        {
            Enter("MPI_Finalize");
            MpiNative.Finalize();
            Leave();
        }
        disposed = true;
    }
}
