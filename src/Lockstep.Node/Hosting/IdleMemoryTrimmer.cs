using Lockstep.Protocol.Blocks;

namespace Lockstep.Node.Hosting;

/// <summary>
/// Hands a burst's memory back to the OS once the process has gone quiet. After a node pulled or served a big file,
/// the block pool still held its idle arrays and the collector kept the regions it had freed committed for the next
/// burst: measured, a node that had pulled a 1 GiB file kept 41 MB committed around a 5.5 MB heap, 30-40 MB more
/// resident than before the transfer, for as long as it ran. The process counts as quiet when no gen-0 collection
/// happened for <see cref="QuietPeriods"/> looks in a row (a node at work allocates its budget within a second); then
/// the pool's idle arrays go and, if that or the growth since the last trim is worth it, one aggressive collection
/// decommits what is free. It looks again only after the process has been busy since. One per process.
/// </summary>
public sealed class IdleMemoryTrimmer
{
    /// <summary>How often it looks.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>Looks in a row without a gen-0 collection before the process counts as quiet.</summary>
    public const int QuietPeriods = 2;

    /// <summary>Idle pool arrays worth a collection.</summary>
    public const long MinReleasedBytes = 8L * 1024 * 1024;

    /// <summary>Growth of committed memory since the last trim worth a collection.</summary>
    public const long MinGrowthBytes = 16L * 1024 * 1024;

    private static readonly Lazy<Timer> s_timer = new(StartTimer);

    private readonly Func<int> _gen0Collections;
    private readonly Func<long> _committedBytes;
    private readonly Func<long> _releaseIdleBuffers;
    private readonly Action _collect;
    private int _lastCount = -1;
    private int _quiet;
    private bool _done;
    private long _baseline;

    internal IdleMemoryTrimmer(Func<int> gen0Collections, Func<long> committedBytes, Func<long> releaseIdleBuffers, Action collect)
    {
        _gen0Collections = gen0Collections;
        _committedBytes = committedBytes;
        _releaseIdleBuffers = releaseIdleBuffers;
        _collect = collect;
        _baseline = committedBytes();
    }

    /// <summary>Starts the process's trimmer (once; later calls do nothing).</summary>
    public static void EnsureStarted() => _ = s_timer.Value;

    /// <summary>How many times this process's trimmer collected (diagnostics).</summary>
    public static long Trims => Interlocked.Read(ref s_trims);

    private static long s_trims;

    /// <summary>One look; true when it collected.</summary>
    internal bool Tick()
    {
        int count = _gen0Collections();
        if (count != _lastCount)
        {
            _lastCount = count;
            _quiet = 0;
            _done = false;
            return false;
        }
        if (_done || ++_quiet < QuietPeriods)
            return false;
        _done = true; // once per quiet spell, whatever comes of it
        long released = _releaseIdleBuffers();
        if (released < MinReleasedBytes && _committedBytes() - _baseline < MinGrowthBytes)
            return false;
        _collect();
        _baseline = _committedBytes();
        _lastCount = _gen0Collections(); // its own collection is not activity
        return true;
    }

    private static Timer StartTimer()
    {
        var trimmer = new IdleMemoryTrimmer(
            () => GC.CollectionCount(0),
            () => GC.GetGCMemoryInfo().TotalCommittedBytes,
            BlockBuffer.ReleaseIdleArrays,
            () => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true));
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(_ =>
            {
                try
                {
                    if (trimmer.Tick())
                        Interlocked.Increment(ref s_trims);
                }
                catch (Exception)
                {
                    // Best effort: a failed look must not escape a timer callback, where it would end the process.
                }
            }, null, Period, Period);
        }
    }
}
