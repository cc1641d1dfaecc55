using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Native;
using Lockstep.Index;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Pulling;

/// <summary>
/// One pull pass of a folder: brings every item this device needs (bep-v1.md §5.5) to its global version, from
/// local blocks where it can and from peers where it must, and records each applied item in the index with the
/// global version as-is. Run by the folder's runner only (STYLE rule 5); items within a pass run concurrently.
/// </summary>
public sealed partial class Puller
{
    private readonly FolderSettings _settings;
    private readonly FolderIndex _index;
    private readonly IBlockRequester _peers;
    private readonly PullProgress _progress;
    private readonly Action<IReadOnlyList<FileInfo>> _committed;
    private readonly TimeProvider _clock;
    private readonly Versioning.Versioner _versioner;
    private readonly OwnWrites? _ownWrites;
    private readonly GroupSync _durable = new();

    /// <param name="committed">Called with each batch of applied items as stored (sequence assigned), to announce them.</param>
    public Puller(FolderSettings settings, FolderIndex index, IBlockRequester peers, PullProgress progress,
        Action<IReadOnlyList<FileInfo>> committed, TimeProvider? clock = null, OwnWrites? ownWrites = null)
    {
        _ownWrites = ownWrites;
        _settings = settings;
        _index = index;
        _peers = peers;
        _progress = progress;
        _committed = committed;
        _clock = clock ?? TimeProvider.System;
        _versioner = new Versioning.Versioner(settings.Path, settings.Versioning, _clock);
    }

    private string Root => _settings.Path;
    private ShortId Me => _settings.LocalDevice;

    /// <summary>
    /// Files pulled at once: enough to hide the round trips and fsyncs of many small files. Each thread wake-up then
    /// finds more work waiting: 10,000 small files written in 100 directories after the warm-up landed 11% sooner
    /// with 8% less CPU than with 16 (15% fewer context switches; six interleaved runs each; 8 was slower, 64 no
    /// better); in bench/run-sync.sh's small step the two were even (7.1 vs 7.2 s, three runs each, a slow hour).
    /// Big files are bounded by bytes in flight, not by this.
    /// </summary>
    public const int ParallelFiles = 32;

    /// <param name="names">Only these names (what changed since the last pass), or null for the whole folder.</param>
    public async Task<PullSummary> RunAsync(IgnoreMatcher ignores, bool allowDeletes, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? names = null)
    {
        var plan = names is null
            ? PullPlan.Build(GlobalView.Enumerate(_index, _settings.Peers), ignores, _settings.PullOrder)
            : PullPlan.Build(GlobalView.Of(_index, _settings.Peers, names), ignores, _settings.PullOrder,
                localFiles: (int)Math.Min(int.MaxValue, _index.LocalCounts() is var c ? c.Files + c.Symlinks : 0));
        if (plan.Items == 0)
            return PullSummary.Nothing;
        if (!allowDeletes && plan.ExceedsDeleteLimit(_settings.MaxDeletePercent) is { } blocked)
            return new PullSummary(0, [], [], blocked);

        _progress.Start(plan.Items, plan.Bytes);
        var pass = new Pass(this);
        using var gate = new BlockGate(_settings.MaxBytesInFlight);

        foreach (var entry in plan.Directories)
            pass.Run(entry, () => PullDirectory(entry, pass));
        pass.Flush();

        await Parallel.ForEachAsync(plan.Files, new ParallelOptions { MaxDegreeOfParallelism = ParallelFiles, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                if (entry.Global.IsSymlink)
                    pass.Run(entry, () => PullSymlink(entry, pass));
                else
                    await pass.RunAsync(entry, () => PullFileAsync(entry, pass, gate, ct)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        pass.Flush();

        foreach (var entry in plan.FileDeletes)
            pass.Run(entry, () => DeleteFile(entry, pass));
        pass.Flush();
        foreach (var entry in plan.DirectoryDeletes)
            pass.Run(entry, () => DeleteDirectory(entry, ignores, pass));
        pass.Flush();
        return pass.Summary();
    }

    /// <summary>
    /// The bookkeeping of one pass: applied items wait here (with the directories they touched) until a batch is
    /// synced to disk and committed to the index; errors and paths to rescan are collected for the summary.
    /// </summary>
    private sealed class Pass(Puller owner)
    {
        private readonly Lock _lock = new();
        private readonly List<LocalFile> _applied = new();
        private readonly HashSet<string> _dirs = new(StringComparer.Ordinal);
        private readonly List<PullError> _errors = new();
        private readonly List<string> _rescan = new();
        private int _count;
        private const int Batch = 256;

        /// <param name="inode">The item's inode when the caller already knows it (a renamed temp file keeps its own); 0 to look.</param>
        public void Applied(FileInfo global, string fullPath, ulong inode = 0)
        {
            if (inode == 0 && NativeFile.TryLstat(fullPath, out var stat, out _))
                inode = stat.Inode;
            // Stored exactly as the global version (vector as-is, bep-v1.md §5.4), announced with our sequence.
            Applied(new LocalFile(global with { Sequence = 0, Invalid = false }, inode), fullPath);
        }

        /// <summary>Records a version of our own making (a conflict strategy re-publishing our bytes).</summary>
        public void Applied(LocalFile file, string fullPath)
        {
            if (file.Info.IsDirectory || file.Info.Deleted)
                owner._ownWrites?.Record(file.Info.Name, fullPath); // files and symlinks were recorded before their rename
            bool flush;
            lock (_lock)
            {
                _applied.Add(file);
                _dirs.Add(Path.GetDirectoryName(fullPath) ?? owner.Root);
                flush = _applied.Count >= Batch;
            }
            if (flush)
                Flush();
        }

        public void Error(string name, string message)
        {
            lock (_lock)
                _errors.Add(new PullError(name, message));
        }

        public void Rescan(string name)
        {
            lock (_lock)
                _rescan.Add(name);
        }

        public void Run(GlobalEntry entry, Func<string?> apply)
        {
            var (type, action) = Describe(entry);
            owner._progress.Started(entry.Name, type, action);
            string? failed = null;
            try
            {
                if (apply() is { } error)
                    Error(entry.Name, failed = error);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(entry.Name, failed = e.Message);
            }
            owner._progress.ItemDone();
            owner._progress.Finished(entry.Name, type, action, failed);
        }

        public async Task RunAsync(GlobalEntry entry, Func<Task<string?>> apply)
        {
            var (type, action) = Describe(entry);
            owner._progress.Started(entry.Name, type, action);
            string? failed = null;
            try
            {
                if (await apply().ConfigureAwait(false) is { } error)
                    Error(entry.Name, failed = error);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(entry.Name, failed = e.Message);
            }
            owner._progress.ItemDone();
            owner._progress.Finished(entry.Name, type, action, failed);
        }

        /// <summary>Syncthing's names for what an item is and what the pull does with it.</summary>
        private static (string Type, string Action) Describe(GlobalEntry entry) =>
            (entry.Global.IsDirectory ? "dir" : entry.Global.IsSymlink ? "symlink" : "file", entry.Global.Deleted ? "delete" : "update");

        /// <summary>Syncs the touched directories (so the renames survive a crash), then records the batch.</summary>
        public void Flush()
        {
            List<LocalFile> batch;
            List<string> dirs;
            lock (_lock)
            {
                if (_applied.Count == 0)
                    return;
                batch = _applied.ToList();
                dirs = _dirs.ToList();
                _applied.Clear();
                _dirs.Clear();
                _count += batch.Count;
            }
            foreach (var dir in dirs)
            {
                try
                {
                    NativeFile.SyncDirectory(dir);
                }
                catch (IOException)
                {
                    // A directory removed since (a delete in the same pass): nothing left in it to keep.
                }
            }
            var stored = owner._index.CommitLocal(batch);
            owner._committed(stored);
        }

        public PullSummary Summary()
        {
            lock (_lock)
                return new PullSummary(_count, _errors.ToList(), _rescan.Distinct(StringComparer.Ordinal).ToList(), null);
        }
    }
}
