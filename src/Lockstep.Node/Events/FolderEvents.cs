using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Index;
using Lockstep.Node.Api;
using Lockstep.Sync.Folders;

namespace Lockstep.Node.Events;

/// <summary>
/// A folder runner's events, as Syncthing names them: StateChanged (with the seconds spent in the old state),
/// LocalIndexUpdated for every commit of a scan or a pull, ItemStarted and ItemFinished for each item a pull applies, and
/// a FolderSummary with each device's FolderCompletion once the folder has settled to idle;
/// the time each scan took also goes to the scan duration metric, and a long scan reports FolderScanProgress.
/// </summary>
internal static class FolderEvents
{
    /// <summary>How long a folder stays idle before its FolderSummary is sent (each new pass restarts the wait).</summary>
    public static readonly TimeSpan SummaryDelay = TimeSpan.FromSeconds(1);

    /// <param name="scanProgressEvery">How often a scan reports FolderScanProgress; null for never.</param>
    public static void Attach(EventLog events, FolderRunner runner, Hosting.FolderSummaries summaries, TimeProvider clock, Metrics.NodeMetrics? metrics = null,
        TimeSpan? scanProgressEvery = null)
    {
        long scanStarted = 0;
        var scanProgress = clock.CreateTimer(_ =>
        {
            if (runner.State != FolderState.Scanning || runner.Progress is not { } p)
                return;
            var seconds = clock.GetElapsedTime(Interlocked.Read(ref scanStarted)).TotalSeconds;
            events.Publish("FolderScanProgress", new FolderScanProgressData(runner.FolderId, p.BytesHashed, p.BytesToHash,
                seconds > 0 ? Math.Round(p.BytesHashed / seconds, 1) : 0), ContractsJsonContext.Default.FolderScanProgressData);
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var since = clock.GetUtcNow();
        // Off the folder's loop and after the folder has stayed idle a moment: walking the index for a summary on
        // every pass of a busy sync would cost more than the sync.
        var summary = clock.CreateTimer(_ =>
        {
            if (runner.State == FolderState.Idle)
                PublishSummary(events, runner, summaries);
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        runner.Disposed += () =>
        {
            summary.Dispose();
            scanProgress.Dispose();
        };
        runner.StateChanged += (from, to) =>
        {
            var now = clock.GetUtcNow();
            var duration = (now - since).TotalSeconds;
            since = now;
            if (from == FolderState.Scanning)
            {
                metrics?.ScanFinished(runner.FolderId, duration);
                scanProgress.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            if (to == FolderState.Scanning && scanProgressEvery is { } every)
            {
                Interlocked.Exchange(ref scanStarted, clock.GetTimestamp());
                scanProgress.Change(every, every);
            }
            events.Publish("StateChanged", new StateChangedData(runner.FolderId, FolderStatusView.StateName(from), FolderStatusView.StateName(to),
                Math.Round(duration, 6), to == FolderState.Error ? runner.Error : null), ContractsJsonContext.Default.StateChangedData);
            if (to == FolderState.Idle)
                summary.Change(SummaryDelay, Timeout.InfiniteTimeSpan); // debounced: a burst of passes gives one summary
        };
        runner.PullProgress.ItemStarted += (item, type, action) =>
            events.Publish("ItemStarted", new ItemStartedData(item, runner.FolderId, type, action), ContractsJsonContext.Default.ItemStartedData);
        runner.PullProgress.ItemFinished += (item, type, action, error) =>
            events.Publish("ItemFinished", new ItemFinishedData(item, runner.FolderId, error, type, action), ContractsJsonContext.Default.ItemFinishedData);
        runner.LocalIndexUpdated += files =>
        {
            if (files.Count == 0)
                return;
            long sequence = files.Max(f => f.Sequence);
            events.Publish("LocalIndexUpdated", new LocalIndexUpdatedData(runner.FolderId, files.Count, [.. files.Select(f => f.Name)], sequence, sequence),
                ContractsJsonContext.Default.LocalIndexUpdatedData);
        };
    }

    private static void PublishSummary(EventLog events, FolderRunner runner, Hosting.FolderSummaries summaries)
    {
        try
        {
            var s = summaries.Of(runner);
            events.Publish("FolderSummary", new FolderSummaryData(runner.FolderId, FolderStatusView.Of(runner, s)), ContractsJsonContext.Default.FolderSummaryData);
            // With it, each device's completion (Syncthing sends FolderCompletion as a device's state changes).
            foreach (var (device, c) in s.Peers)
            {
                events.Publish("FolderCompletion", new FolderCompletionData(runner.FolderId, device.ToString(), c.Percent, c.GlobalBytes, c.NeedBytes,
                    c.GlobalItems, c.NeedItems, c.NeedDeletes, s.Sequence, "valid"), ContractsJsonContext.Default.FolderCompletionData);
            }
        }
        catch (Exception)
        {
            // A summary is best effort: whatever keeps it from being walked (the node stopping and its index closed,
            // the index file gone or unreadable, which the folder itself reports) must not escape a timer callback,
            // where it would end the process.
        }
    }
}
