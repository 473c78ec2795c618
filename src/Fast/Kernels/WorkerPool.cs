using System.Runtime.ExceptionServices;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// Persistent worker threads for the model's parallel phases: <see cref="Run"/> hands worker w (1..used-1) the job
/// body(w) and runs body(0) on the caller, then waits for all. Unlike Parallel.For it allocates nothing per call.
/// The threads hold no reference to the job between calls, so the owner can be collected; its finalizer calls
/// <see cref="Dispose"/>, which ends them.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    readonly ManualResetEventSlim[] go;
    readonly ManualResetEventSlim done = new(false);
    Action<int>? body;
    int pending;
    volatile bool stopping;
    Exception? failure;

    public WorkerPool(int count)
    {
        Guard.Positive(count, nameof(count));
        Count = count;
        go = new ManualResetEventSlim[count];
        for (int i = 1; i < count; i++)
        {
            go[i] = new ManualResetEventSlim(false);
            new Thread(Loop) { IsBackground = true, Name = $"NetNumerics worker {i}" }.Start(i);
        }
    }

    public int Count { get; }

    /// <summary>Run body(0..used-1) in parallel, body(0) on the calling thread; rethrows the first failure.</summary>
    public void Run(Action<int> job, int used)
    {
        if (used <= 1) { job(0); return; }
        ObjectDisposedException.ThrowIf(stopping, this);
        body = job; failure = null;
        Volatile.Write(ref pending, used - 1);
        done.Reset();
        for (int i = 1; i < used; i++) go[i].Set();
        try { job(0); }
        finally
        {
            done.Wait();
            body = null;
        }
        if (failure != null) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    void Loop(object? state)
    {
        int w = (int)state!;
        while (true)
        {
            go[w].Wait();
            go[w].Reset();
            if (stopping) return;
            try { body!(w); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            if (Interlocked.Decrement(ref pending) == 0) done.Set();
        }
    }

    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        for (int i = 1; i < go.Length; i++) go[i].Set();
    }
}
