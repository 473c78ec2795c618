using System.Runtime.InteropServices;

namespace NetNumerics.Cli.Signals;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM while `train` runs: the first one cancels <see cref="Token"/> (the trainer finishes the
/// batch in flight, returns the state after it, and the command saves it as last.ckpt, says so and exits with
/// <see cref="ExitCode"/>: 130 for SIGINT, 143 for SIGTERM, as a shell reports a process the signal killed); a second
/// one exits at once with that code, without a checkpoint (the previous last.ckpt stays whole: files are replaced by
/// rename). The first signal is acknowledged on the output (stdout), so stderr keeps one line per outcome: the
/// command's own report once the checkpoint is saved, or the second signal's. Dispose to restore the default handling.
/// </summary>
sealed class ShutdownGuard : IDisposable
{
    readonly CancellationTokenSource _cts = new();
    readonly PosixSignalRegistration[] _registrations;
    readonly TextWriter _output, _error;
    readonly string _command;
    int _signals;

    public ShutdownGuard(TextWriter output, TextWriter error, string command)
    {
        _output = output;
        _error = error;
        _command = command;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The signal received first (null when none).</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>128 + the signal number: 130 for SIGINT, 143 for SIGTERM (0 when no signal came).</summary>
    public int ExitCode => Signal switch { PosixSignal.SIGINT => 130, PosixSignal.SIGTERM => 143, _ => 0 };

    public static string Name(PosixSignal s) => s == PosixSignal.SIGINT ? "SIGINT" : s == PosixSignal.SIGTERM ? "SIGTERM" : s.ToString();

    void Handle(PosixSignalContext context)
    {
        context.Cancel = true;   // no default termination: we decide
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Signal = context.Signal;
            Say(_output, $"{Name(context.Signal)} received: finishing the current batch, then saving last.ckpt (send it again to exit at once).");
            _cts.Cancel();
            return;
        }
        var first = Signal ?? context.Signal;
        Say(_error, $"numerics {_command}: second {Name(context.Signal)}: exiting at once without a checkpoint; the previous last.ckpt, if any, is intact.");
        Environment.Exit(first == PosixSignal.SIGTERM ? 143 : 130);
    }

    static void Say(TextWriter writer, string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
