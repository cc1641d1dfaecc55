using System.Collections.Concurrent;
using Lockstep.Index;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;

namespace Lockstep.Node.Hosting;

/// <summary>
/// Each folder's summary (local, global and needed counts), shared by /rest/db/status, the status command, /metrics,
/// /api/v1 and the FolderSummary event. Computing one walks the folder's index, so it is done again only when the
/// index changed since, and at most every <see cref="MaxAge"/> while the folder scans or syncs and keeps changing it:
/// a scraper or a dashboard polling hard costs a lookup, not a walk of 10,000 entries per request, and while the folder
/// is busy no request waits for a walk (the last summary is answered while a new one is made). A folder at rest is
/// always answered exactly.
/// </summary>
public sealed class FolderSummaries
{
    /// <summary>How stale a summary may be while its folder keeps changing.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    /// <param name="Walk">The number of the walk that made it (walks are numbered as they start).</param>
    private sealed record Entry(long Stamp, long At, long Walk, FolderSummary Summary);

    private readonly Func<IndexDatabase?> _index;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public FolderSummaries(Func<IndexDatabase?> index, TimeProvider? clock = null)
    {
        _index = index;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The folder's summary, at most <see cref="MaxAge"/> old (exact once the folder is quiet).</summary>
    /// <exception cref="InvalidOperationException">The node's index is not open.</exception>
    public FolderSummary Of(FolderRunner runner) =>
        Of(runner.FolderId, runner.Settings.Peers, busy: runner.State is FolderState.Scanning or FolderState.Syncing);

    /// <summary>
    /// The summary of <paramref name="folderId"/> as shared with <paramref name="peers"/>: exact unless
    /// <paramref name="busy"/>, then at most <see cref="MaxAge"/> old.
    /// </summary>
    public FolderSummary Of(string folderId, IReadOnlyList<Lockstep.Protocol.Identity.DeviceId> peers, bool busy = false)
    {
        var index = _index() ?? throw new InvalidOperationException("the node's index is not open");
        long arrived = Interlocked.Read(ref _walks); // a walk numbered above this one started after the request came
        var folder = index.Folder(folderId);
        if (Fresh(folderId, folder.ChangeStamp, busy) is { } cached)
            return cached;
        if (busy && _cache.TryGetValue(folderId, out var stale))
        {
            // While the folder syncs nobody waits for a walk: the last summary is answered and a new one is made
            // in the background (one at a time per folder).
            if (_refreshing.TryAdd(folderId, 0))
            {
                _ = Task.Run(() =>
                {
                    try
                    {
                        Walk(folderId, folder, peers);
                    }
                    catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or Lockstep.Index.IndexException)
                    {
                        // The node is stopping; the next request walks again if it still can.
                    }
                    finally
                    {
                        _refreshing.TryRemove(folderId, out _);
                    }
                });
            }
            return stale.Summary;
        }
        return Walk(folderId, folder, peers, busy, arrived);
    }

    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);

    private FolderSummary Walk(string folderId, FolderIndex folder, IReadOnlyList<Lockstep.Protocol.Identity.DeviceId> peers, bool busy = false,
        long arrived = long.MaxValue)
    {
        lock (_locks.GetOrAdd(folderId, _ => new object()))
        {
            long stamp = folder.ChangeStamp; // read before the walk: a write during it makes the next call walk again
            if (Fresh(folderId, stamp, busy) is { } again)
                return again;
            // A walk that started after this request arrived (while it waited here) is as exact as one of its own:
            // requests that pile up while the index keeps changing share one walk instead of walking one by one.
            if (_cache.TryGetValue(folderId, out var recent) && recent.Walk > arrived)
                return recent.Summary;
            long walk = Interlocked.Increment(ref _walks);
            var summary = FolderSummary.Compute(folder, peers);
            _cache[folderId] = new Entry(stamp, _clock.GetTimestamp(), walk, summary);
            Interlocked.Increment(ref _computed);
            return summary;
        }
    }

    private long _computed, _walks;

    /// <summary>How many times a summary was computed (walked the index), for tests and diagnostics.</summary>
    public long Computed => Interlocked.Read(ref _computed);

    private FolderSummary? Fresh(string folderId, long stamp, bool busy) =>
        _cache.TryGetValue(folderId, out var entry) && (entry.Stamp == stamp || (busy && _clock.GetElapsedTime(entry.At) < MaxAge)) ? entry.Summary : null;
}
