using NetNumerics.Cli;
using NetNumerics.Training.Checkpoints;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace NetNumerics.Properties.Cli.Hostile;

/// <summary>
/// What the hostile-use tests (issue 14) share: running `numerics` in-process and as a child process of the built
/// program, sending it signals, making FIFOs, small or read-only file systems, and checkpoints whose checksum is valid
/// but whose content is not.
/// </summary>
static class HostileKit
{
    /// <summary>`numerics` in-process with the given services (the tiny softmax-regression services by default).</summary>
    public static (int Code, string Out, string Err) Run(CliServices? services, params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = Entry.Run(args, o, e, services ?? ScheduleCommandTests.Services);
        return (code, o.ToString(), e.ToString());
    }

    public static (int Code, string Out, string Err) Run(params string[] args) => Run(null, args);

    /// <summary>A failure as every one must look: non-zero exit, exactly one line on stderr, no stack trace; returns the line.</summary>
    public static string OneLineFailure((int Code, string Out, string Err) r, int? code = null)
    {
        Assert.True(r.Code != 0, $"expected a failure, got exit 0; stdout: {r.Out}");
        if (code is { } c) Assert.True(r.Code == c, $"exit {r.Code}, expected {c}; stderr: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{r.Err}");
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("Exception", lines[0]);
        return lines[0];
    }

    /// <summary>Runs <paramref name="body"/> on another thread and fails if it takes longer than <paramref name="limit"/> (a hang).</summary>
    public static T WithinTime<T>(TimeSpan limit, Func<T> body, Action? unblock = null)
    {
        var task = Task.Factory.StartNew(body, TaskCreationOptions.LongRunning);
        if (!task.Wait(limit))
        {
            unblock?.Invoke();
            Assert.Fail($"did not finish within {limit.TotalSeconds} s (a hang)");
        }
        return task.Result;
    }

    // ---- POSIX ------------------------------------------------------------------------------------

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    static extern int SysKill(int pid, int signal);

    [DllImport("libc", SetLastError = true, EntryPoint = "mkfifo")]
    static extern int SysMkfifo(string path, uint mode);

    public const int SIGINT = 2, SIGTERM = 15;

    public static void Signal(Process p, int signal) =>
        Assert.True(SysKill(p.Id, signal) == 0, $"kill({p.Id}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");

    public static string Fifo(string path)
    {
        Assert.True(SysMkfifo(path, 0b110_100_100) == 0, $"mkfifo {path} failed: errno {Marshal.GetLastWin32Error()}");
        return path;
    }

    /// <summary>Runs a program to its end (for mount and friends); returns its exit code and output.</summary>
    public static (int Code, string Output) Shell(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }

    // ---- checkpoints ------------------------------------------------------------------------------

    /// <summary>Rewrites a checkpoint file with a changed copy, re-signed (a valid checksum over invalid content).</summary>
    public static void Rewrite(string path, Func<TrainingCheckpoint, TrainingCheckpoint> change) =>
        File.WriteAllBytes(path, CheckpointFile.ToBytes(change(ReadUnchecked(path))));

    /// <summary>A copy with some fields replaced.</summary>
    public static TrainingCheckpoint With(TrainingCheckpoint c, int? epoch = null, int? batch = null, long? iteration = null,
        NetNumerics.Nn.BatchResult? running = null, IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyList<ParameterSnapshot>? parameters = null, IReadOnlyList<NetNumerics.Optimizers.OptimizerState<float>>? states = null) => new()
    {
        Seed = c.Seed, BatchSize = c.BatchSize, ValidationSplit = c.ValidationSplit, TrainCount = c.TrainCount,
        Granularity = c.Granularity, Shuffle = c.Shuffle, Epoch = epoch ?? c.Epoch, Batch = batch ?? c.Batch,
        Iteration = iteration ?? c.Iteration, LearningRateMultiplier = c.LearningRateMultiplier, LearningRate = c.LearningRate,
        Running = running ?? c.Running, Stopped = c.Stopped, StopReason = c.StopReason, Metadata = metadata ?? c.Metadata,
        Parameters = parameters ?? c.Parameters, OptimizerName = c.OptimizerName, OptimizerStates = states ?? c.OptimizerStates,
        History = c.History, CallbackStates = c.CallbackStates,
    };

    /// <summary>Reads a checkpoint written by a real run (which is valid).</summary>
    public static TrainingCheckpoint ReadUnchecked(string path) => CheckpointFile.Read(path);

    // ---- the built program as a child process -----------------------------------------------------

    static string Numerics => Path.Combine(AppContext.BaseDirectory, "numerics.dll");

    static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>The built `numerics` running in its own process; stdout and stderr collected line by line as they come.</summary>
    public sealed class Child : IDisposable
    {
        readonly BlockingCollection<string> _lines = new();
        readonly System.Text.StringBuilder _out = new(), _err = new();

        public Child(params string[] args)
        {
            Assert.True(File.Exists(Numerics), $"{Numerics} is missing: the test project references src/Cli, whose build output is copied here");
            var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Numerics);
            foreach (var a in args) info.ArgumentList.Add(a);
            Process = new Process { StartInfo = info };
            Process.OutputDataReceived += (_, e) => { if (e.Data is { } d) { lock (_out) _out.AppendLine(d); _lines.Add(d); } };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is { } d) lock (_err) _err.AppendLine(d); };
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        /// <summary>Waits for a stdout line that satisfies <paramref name="match"/>; fails after <paramref name="limit"/> or if the program exits first.</summary>
        public string WaitForLine(Func<string, bool> match, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                if (_lines.TryTake(out var line, 50) && match(line)) return line;
                if (Process.HasExited && _lines.Count == 0)
                    Assert.Fail($"the program exited ({Process.ExitCode}) before printing the awaited line; stdout: {Out}; stderr: {Err}");
            }
            Assert.Fail($"no awaited line within {limit.TotalSeconds} s; stdout: {Out}; stderr: {Err}");
            return "";
        }

        /// <summary>Waits for the exit (failing after <paramref name="limit"/>) and returns code, stdout and stderr.</summary>
        public (int Code, string Out, string Err) WaitForExit(TimeSpan limit)
        {
            if (!Process.WaitForExit(limit))
            {
                Process.Kill();
                Assert.Fail($"the program did not exit within {limit.TotalSeconds} s; stdout: {Out}; stderr: {Err}");
            }
            Process.WaitForExit();   // drains the output events
            return (Process.ExitCode, Out, Err);
        }

        public string Out { get { lock (_out) return _out.ToString(); } }
        public string Err { get { lock (_err) return _err.ToString(); } }

        public void Dispose()
        {
            if (!Process.HasExited) { try { Process.Kill(); Process.WaitForExit(); } catch (InvalidOperationException) { } }
            Process.Dispose();
        }
    }

    /// <summary>Runs the built program to its end.</summary>
    public static (int Code, string Out, string Err) RunChild(TimeSpan limit, params string[] args)
    {
        using var c = new Child(args);
        return c.WaitForExit(limit);
    }
}
