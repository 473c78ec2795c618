using NetNumerics.Training.Distributed;
using Xunit;

namespace NetNumerics.Properties.Distributed;

/// <summary>Which launcher started this process, from the variables each one sets; wrong values are refused by name.</summary>
public class MpiLaunchTests
{
    static MpiLaunch? Detect(params (string Name, string Value)[] vars) => MpiLaunch.Detect(n => vars.FirstOrDefault(v => v.Name == n).Value);

    [Fact]
    public void Hydra_Open_MPI_and_srun_are_recognised_and_a_plain_process_or_a_batch_script_is_not()
    {
        Assert.Equal(new MpiLaunch(1, 2, "MPICH Hydra (PMI_RANK, PMI_SIZE)"), Detect(("PMI_RANK", "1"), ("PMI_SIZE", "2"), ("SLURM_PROCID", "0"), ("SLURM_STEP_NUM_TASKS", "1")));
        Assert.Equal(new MpiLaunch(3, 4, "Open MPI mpirun (OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE)"), Detect(("OMPI_COMM_WORLD_RANK", "3"), ("OMPI_COMM_WORLD_SIZE", "4")));
        Assert.Equal(new MpiLaunch(5, 8, "Slurm srun (SLURM_PROCID, SLURM_STEP_NUM_TASKS)"), Detect(("SLURM_PROCID", "5"), ("SLURM_STEP_NUM_TASKS", "8"), ("SLURM_NTASKS", "8")));
        Assert.Null(Detect());
        Assert.Null(Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "8")));   // sbatch's own script: one process, not a job step
        Assert.False(Detect(("PMI_RANK", "0"), ("PMI_SIZE", "1"))!.IsDistributed);   // mpiexec -n 1: an ordinary run
    }

    [Theory]
    [InlineData("2", "2", "PMI_RANK", "[0, 1]")]
    [InlineData("-1", "2", "PMI_RANK", "[0, 1]")]
    [InlineData("0", "0", "PMI_SIZE", "[1, ")]
    [InlineData("0", "two", "PMI_SIZE", "'two'")]
    [InlineData(" 1", "2", "PMI_RANK", "' 1'")]
    public void A_rank_or_size_that_is_not_a_valid_integer_is_refused_naming_the_variable(string rank, string size, string named, string shown)
    {
        var e = Assert.Throws<ArgumentException>(() => Detect(("PMI_RANK", rank), ("PMI_SIZE", size)));
        Assert.StartsWith($"environment variable {named} is ", e.Message);
        Assert.Contains(shown, e.Message);
    }
}
