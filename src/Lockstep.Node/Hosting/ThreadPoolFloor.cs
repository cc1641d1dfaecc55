namespace Lockstep.Node.Hosting;

/// <summary>
/// A floor under the thread pool's worker count. A node blocks pool threads by design: a pull writes, fsyncs and
/// renames many files at once (<see cref="Lockstep.Sync.Pulling.Puller.ParallelFiles"/>), SQLite commits
/// synchronously, the scanner hashes on every core. With the default floor (one thread per core) those blocked
/// threads starved everything queued behind them — API requests waited for the pool's starvation injection. While
/// a node pulled 10,000 files under 180 requests/s (bench/run-api.sh), the floor took the API's median latency
/// from 5.5 to 1.5 ms and the worst runs' p99 from 350 to under 100 ms.
/// Threads up to the floor are created as work arrives, not in advance, so an idle node holds no more of them.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>
    /// Twice the puller's files in flight: every one of them may be blocked in a write or an fsync, and the rest
    /// serves everything else. Idle workers sleep without spinning (UnfairSemaphoreSpinLimit=0 in the runtime config).
    /// </summary>
    public const int MinWorkerThreads = 2 * Lockstep.Sync.Pulling.Puller.ParallelFiles;

    /// <summary>Raises the pool's minimum worker threads to <see cref="MinWorkerThreads"/>; never lowers it.</summary>
    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        if (workers < MinWorkerThreads)
            ThreadPool.SetMinThreads(MinWorkerThreads, completionPorts);
    }
}
