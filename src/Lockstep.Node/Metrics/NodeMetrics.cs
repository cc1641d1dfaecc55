using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Lockstep.Node.Api;
using Lockstep.Node.Hosting;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;

namespace Lockstep.Node.Metrics;

/// <summary>
/// The node's instruments (meter "Lockstep"), named as ARCHITECTURE.md §3 says: per folder its local, global and
/// needed files and bytes, pulled items and bytes, open conflicts, state and scan durations; per device its
/// connection and bytes; the process's CPU, memory and GC. Gauges are read from the node when scraped; a folder's
/// counts come from <see cref="FolderSummaries"/>, so scraping often stays cheap.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "Lockstep";

    private static readonly FolderState[] States = [FolderState.Idle, FolderState.Scanning, FolderState.Syncing, FolderState.Paused, FolderState.Error];

    private readonly Meter _meter = new(MeterName);
    private readonly NodeHost _node;
    private readonly Histogram<double> _scanDuration;
    private readonly PrometheusExporter _exporter;
    private readonly IDisposable _gcPauses;

    public NodeMetrics(NodeHost node)
    {
        _node = node;
        Folder("lockstep_folder_local_files", "Files this node has in the folder", s => s.Local.Files);
        Folder("lockstep_folder_local_bytes", "Bytes of the files this node has in the folder", s => s.Local.Bytes);
        Folder("lockstep_folder_global_files", "Files in the folder's cluster-wide newest state", s => s.Global.Files);
        Folder("lockstep_folder_global_bytes", "Bytes of the folder's cluster-wide newest state", s => s.Global.Bytes);
        Folder("lockstep_folder_need_files", "Items this node still needs to pull (files, directories, symlinks, deletes)",
            s => s.Need.Files + s.Need.Directories + s.Need.Symlinks + s.Need.Deleted);
        Folder("lockstep_folder_need_bytes", "Bytes this node still needs to pull", s => s.Need.Bytes);
        Folder("lockstep_folder_conflicts", "Conflict copies in the folder", s => s.ConflictCopies);
        _meter.CreateObservableGauge("lockstep_folder_state", () => node.Runners.SelectMany(r => States.Select(state =>
                new Measurement<int>(r.State == state ? 1 : 0, Tag("folder", r.FolderId), Tag("state", FolderStatusView.StateName(state))))),
            description: "1 for the state each folder is in, 0 for the others");
        _meter.CreateObservableCounter("lockstep_pull_items_total", () => node.Runners.Select(r =>
            new Measurement<long>(r.PullProgress.TotalItems, Tag("folder", r.FolderId))), description: "Items pulled since the node started");
        _meter.CreateObservableCounter("lockstep_pull_bytes_total", () => node.Runners.Select(r =>
            new Measurement<long>(r.PullProgress.TotalBytes, Tag("folder", r.FolderId))), description: "Bytes of files pulled since the node started");
        _scanDuration = _meter.CreateHistogram<double>("lockstep_scan_duration_seconds", description: "How long each scan of a folder took");

        _meter.CreateObservableGauge("lockstep_device_connected", () => (node.Peers is { } peers ? node.Config?.Devices ?? [] : []).Select(d =>
            new Measurement<int>(node.Peers!.IsConnected(d.Id) ? 1 : 0, Tag("device", d.Id.ToString()), Tag("name", d.Name))),
            description: "1 while the device is connected");
        _meter.CreateObservableCounter("lockstep_device_in_bytes_total", () => Devices(s => s.InBytesTotal),
            description: "Bytes received from the device on its current connection");
        _meter.CreateObservableCounter("lockstep_device_out_bytes_total", () => Devices(s => s.OutBytesTotal),
            description: "Bytes sent to the device on its current connection");

        _meter.CreateObservableCounter("lockstep_process_cpu_seconds_total", () =>
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime.TotalSeconds;
        }, description: "CPU time the node has used");
        _meter.CreateObservableGauge("lockstep_process_resident_memory_bytes", () => Environment.WorkingSet, description: "Resident memory of the node");
        _meter.CreateObservableGauge("lockstep_gc_heap_bytes", () => GC.GetTotalMemory(false), description: "Bytes in the managed heap");
        _meter.CreateObservableGauge("lockstep_gc_committed_bytes", () => GC.GetGCMemoryInfo().TotalCommittedBytes,
            description: "Memory the garbage collector has committed for the managed heap (in use or kept for reuse)");
        _meter.CreateObservableGauge("lockstep_index_memory_bytes", () => Lockstep.Index.IndexDatabase.MemoryInUse,
            description: "Memory SQLite holds for the index (page caches, prepared statements)");
        _meter.CreateObservableCounter("lockstep_gc_collections_total", () => Enumerable.Range(0, GC.MaxGeneration + 1).Select(g =>
            new Measurement<long>(GC.CollectionCount(g), Tag("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            description: "Garbage collections by generation");
        _meter.CreateObservableCounter("lockstep_gc_pause_seconds_total", () => GC.GetTotalPauseDuration().TotalSeconds,
            description: "Time the garbage collector has paused the node's threads");
        var gcPause = _meter.CreateHistogram<double>("lockstep_gc_pause_seconds", description: "How long each garbage collection paused the node's threads");
        _meter.CreateObservableGauge("lockstep_threadpool_threads", () => ThreadPool.ThreadCount,
            description: "Worker threads in the thread pool");
        _meter.CreateObservableGauge("lockstep_threadpool_queued_items", () => ThreadPool.PendingWorkItemCount,
            description: "Work items waiting for a thread-pool thread (a lasting backlog means starved threads)");
        _meter.CreateObservableCounter("lockstep_memory_trims_total", () => IdleMemoryTrimmer.Trims,
            description: "Times the process, quiet after a burst, released idle block buffers and handed freed memory back to the OS");
        _exporter = new PrometheusExporter(_meter);
        _gcPauses = GcPauseListener.Subscribe(seconds => gcPause.Record(seconds)); // after the exporter, which listens to the histogram
    }

    /// <summary>Every series now, in Prometheus's text format (for /metrics).</summary>
    public string Scrape() => _exporter.Scrape();

    /// <summary>A scan of the folder ended after <paramref name="seconds"/>.</summary>
    public void ScanFinished(string folderId, double seconds) => _scanDuration.Record(seconds, Tag("folder", folderId));

    private void Folder(string name, string description, Func<FolderSummary, long> value) =>
        _meter.CreateObservableGauge(name, () => _node.Runners.Select(r => (Runner: r, Summary: SummaryOf(r)))
            .Where(x => x.Summary is not null)
            .Select(x => new Measurement<long>(value(x.Summary!), Tag("folder", x.Runner.FolderId))), description: description);

    private IEnumerable<Measurement<long>> Devices(Func<Lockstep.Node.Peers.PeerStatus, long> value) =>
        (_node.Peers is { } peers ? _node.Config?.Devices ?? [] : []).Select(d => (Id: d.Id, Status: _node.Peers!.Status(d.Id)))
            .Where(x => x.Status is not null)
            .Select(x => new Measurement<long>(value(x.Status!), Tag("device", x.Id.ToString())));

    private FolderSummary? SummaryOf(FolderRunner runner)
    {
        try
        {
            return _node.Summaries.Of(runner);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or Lockstep.Index.IndexException)
        {
            return null; // the node is stopping
        }
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    public void Dispose()
    {
        _gcPauses.Dispose();
        _exporter.Dispose();
        _meter.Dispose();
    }
}
