using System.Runtime.InteropServices;

namespace NetNumerics.Fast.Kernels.Probes;

/// <summary>What a benchmark report names the machine by: the CPU model and the load at the time.</summary>
internal static class MachineInfo
{
    /// <summary>/proc/cpuinfo's first "model name" (what `lscpu` shows as Model name), else the process architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.Split(':', 2) is [_, var name] && name.Trim().Length > 0)
                        return name.Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{RuntimeInformation.ProcessArchitecture} ({RuntimeInformation.OSDescription})";
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg ("n/a" where there is none).</summary>
    public static string LoadAverage()
    {
        try
        {
            if (File.Exists("/proc/loadavg")) return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "n/a";
    }
}
