using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Index;
using Lockstep.Node.Api;
using Lockstep.Sync.Folders;

namespace Lockstep.Node.Events;

/// <summary>
/// A folder runner's events, as Syncthing names them: StateChanged (with the seconds spent in the old state),
/// LocalIndexUpdated for every commit of a scan or a pull, and a FolderSummary each time the folder settles to idle;
/// the time each scan took also goes to the scan duration metric.
/// </summary>
internal static class FolderEvents
{
    public static void Attach(EventLog events, FolderRunner runner, Hosting.FolderSummaries summaries, TimeProvider clock, Metrics.NodeMetrics? metrics = null)
    {
        var since = clock.GetUtcNow();
        runner.StateChanged += (from, to) =>
        {
            var now = clock.GetUtcNow();
            var duration = (now - since).TotalSeconds;
            since = now;
            if (from == FolderState.Scanning)
                metrics?.ScanFinished(runner.FolderId, duration);
            events.Publish("StateChanged", new StateChangedData(runner.FolderId, FolderStatusView.StateName(from), FolderStatusView.StateName(to),
                Math.Round(duration, 6), to == FolderState.Error ? runner.Error : null), ContractsJsonContext.Default.StateChangedData);
            if (to == FolderState.Idle)
                PublishSummary(events, runner, summaries);
        };
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
            events.Publish("FolderSummary", new FolderSummaryData(runner.FolderId, FolderStatusView.Of(runner, summaries)), ContractsJsonContext.Default.FolderSummaryData);
        }
        catch (Exception e) when (e is IndexException or ObjectDisposedException or InvalidOperationException)
        {
            // The node is stopping and its index closed: no summary to give.
        }
    }
}
