using System.Globalization;

namespace NetNumerics.Training.Distributed;

/// <summary>
/// How this process was started when a launcher started it as one rank of several: its rank, the job's size and which
/// launcher said so. MPICH's Hydra (<c>mpiexec</c>, also Intel MPI) sets <c>PMI_RANK</c>/<c>PMI_SIZE</c>; Open MPI's
/// <c>mpirun</c> sets <c>OMPI_COMM_WORLD_RANK</c>/<c>OMPI_COMM_WORLD_SIZE</c>; Slurm's <c>srun</c> sets
/// <c>SLURM_PROCID</c> and, inside a job step only, <c>SLURM_STEP_NUM_TASKS</c> (a batch script itself has
/// <c>SLURM_PROCID=0</c> and <c>SLURM_NTASKS</c> but is one process, so <c>SLURM_NTASKS</c> is not read).
/// </summary>
/// <param name="Rank">This process's rank, 0 &lt;= Rank &lt; Size.</param>
/// <param name="Size">Ranks the launcher started, &gt;= 1.</param>
/// <param name="Launcher">Which launcher's variables gave them (for messages), e.g. "MPICH Hydra (PMI_RANK, PMI_SIZE)".</param>
public sealed record MpiLaunch(int Rank, int Size, string Launcher)
{
    static readonly (string Rank, string Size, string Launcher)[] Known =
    [
        ("PMI_RANK", "PMI_SIZE", "MPICH Hydra"),
        ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "Open MPI mpirun"),
        ("SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "Slurm srun"),
    ];

    /// <summary>True when the launcher started more than one rank: the run is distributed.</summary>
    public bool IsDistributed => Size > 1;

    /// <summary>The launch described by this process's environment, or null when no launcher variables are set.</summary>
    public static MpiLaunch? FromEnvironment() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>
    /// The launch the variables describe (the first launcher whose two variables are both set, in the order Hydra, Open MPI,
    /// Slurm), or null when none is. A variable that is set but not a valid rank or size is an <see cref="ArgumentException"/>
    /// naming it: guessing would start a job whose ranks disagree.
    /// </summary>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    public static MpiLaunch? Detect(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        foreach (var (rankName, sizeName, launcher) in Known)
        {
            string? rank = variable(rankName), size = variable(sizeName);
            if (rank is null || size is null) continue;
            int s = Parse(sizeName, size, 1, int.MaxValue);
            int r = Parse(rankName, rank, 0, s - 1);
            return new MpiLaunch(r, s, $"{launcher} ({rankName}, {sizeName})");
        }
        return null;
    }

    static int Parse(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new ArgumentException($"environment variable {name} is '{text}', not an integer in [{min}, {max}]; the MPI launcher set it wrong.", name);
        return v;
    }
}
