using System.Diagnostics;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Scanning;
using Lockstep.Index;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Folders;

/// <summary>
/// One scan of a folder or some of its paths, recorded in the index: new versions for what changed,
/// tombstones for what is gone, invalid entries for what became ignored. Used by the folder runner and by
/// the offline <c>lockstep scan</c>. The caller guarantees the folder root exists and holds its marker.
/// </summary>
public sealed class LocalScan
{
    private readonly FolderSettings _settings;
    private readonly FolderIndex _index;
    private readonly TimeProvider _clock;
    private IgnoreMatcher? _ignores;

    public LocalScan(FolderSettings settings, FolderIndex index, TimeProvider? clock = null)
    {
        _settings = settings;
        _index = index;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// The folder's ignore patterns as the last scan read them (every scan reloads them, and an edit of
    /// .stignore triggers a scan), so per-request checks need no disk read.
    /// </summary>
    public IgnoreMatcher Ignores => Volatile.Read(ref _ignores) ?? (_ignores = IgnoreMatcher.Reload(_settings.Path, null));

    /// <summary>Raised after each batch is committed, with the stored versions (sequence assigned).</summary>
    public event Action<IReadOnlyList<FileInfo>>? Committed;

    /// <param name="forceRehash">Hash <paramref name="subPaths"/> even when their size and mtime match the index.</param>
    public async Task<ScanSummary> RunAsync(IReadOnlyCollection<string>? subPaths, IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default, bool forceRehash = false)
    {
        var started = Stopwatch.StartNew();
        var ignores = _ignores = IgnoreMatcher.Reload(_settings.Path, _ignores);
        var options = new ScanOptions
        {
            HashParallelism = _settings.HashParallelism,
            IgnorePermissions = _settings.IgnorePermissions,
            // A full scan learns what was seen from its index view, which holds every indexed name already.
            RecordSeen = subPaths is not null,
            ForceRehash = forceRehash && subPaths is not null ? subPaths.ToHashSet(StringComparer.Ordinal) : null,
        };
        var scanner = new FolderScanner(_settings.Path, ignores, options);
        var current = subPaths is null
            ? IndexCurrentFiler.Full(_index, _settings.InvalidIsOurs)
            : IndexCurrentFiler.PerName(_index, _settings.InvalidIsOurs);
        int changed = 0;
        ValueTask OnBatch(IReadOnlyList<ScannedItem> batch, CancellationToken _)
        {
            changed += Commit(batch, current);
            return ValueTask.CompletedTask;
        }
        var result = await scanner.ScanAsync(current, subPaths, OnBatch, progress, cancellationToken);

        // Files written just before or during their read get one quick second look once they have settled
        // (a file still being written stays deferred; the runner retries it later).
        var unsettled = result.Problems.Where(p => p.Kind == ScanProblemKind.ChangedWhileHashing).Select(p => p.Name).ToList();
        if (unsettled.Count > 0)
        {
            await Task.Delay(SettleDelay, cancellationToken);
            var again = await new FolderScanner(_settings.Path, ignores, options with { RecordSeen = true }).ScanAsync(IndexCurrentFiler.PerName(_index, _settings.InvalidIsOurs), unsettled, OnBatch, null, cancellationToken);
            result.Problems.RemoveAll(p => p.Kind == ScanProblemKind.ChangedWhileHashing && !again.DoNotDelete.Contains(p.Name) && again.Seen.Contains(p.Name));
            var reported = result.Problems.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            result.Problems.AddRange(again.Problems.Where(p => !reported.Contains(p.Name)));
            foreach (var name in unsettled)
            {
                if (again.Seen.Contains(name))
                    result.Seen.Add(name);
                if (!again.IsProtected(name))
                    result.DoNotDelete.Remove(name);
            }
            result.Hashed += again.Hashed;
            result.HashedBytes += again.HashedBytes;
        }

        int deleted = RecordMissing(subPaths, current, result, ignores);
        return new ScanSummary(changed, deleted, result.Hashed, result.HashedBytes, result.Problems, started.Elapsed);
    }

    /// <summary>Longer than the racy-read window, so a file that was merely just written is accepted on the second look.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(50);

    private ulong Now => (ulong)_clock.GetUtcNow().ToUnixTimeSeconds();

    private int Commit(IReadOnlyList<ScannedItem> batch, ICurrentFiler current)
    {
        var changes = new List<LocalFile>(batch.Count);
        var inodeOnly = new List<(string, ulong)>();
        foreach (var item in batch)
        {
            // A name the index does not hold needs no lookup (most of an initial scan).
            var existing = current.TryGet(item.Name, out _) ? _index.GetLocal(item.Name) : null;
            var next = LocalVersioning.Record(existing, item, _settings.LocalDevice, Now, _settings.IgnorePermissions, _settings.InvalidIsOurs, _settings.FlagsLocalChanges);
            if (next is not null)
                changes.Add(new LocalFile(next, item.Inode));
            else if (item.Inode != 0)
                inodeOnly.Add((item.Name, item.Inode));
        }
        foreach (var (name, inode) in inodeOnly)
            _index.UpdateInode(name, inode);
        return CommitChanges(changes);
    }

    private int CommitChanges(List<LocalFile> changes)
    {
        if (changes.Count == 0)
            return 0;
        var stored = _index.CommitLocal(changes);
        Committed?.Invoke(stored);
        return stored.Count;
    }

    /// <summary>Indexed items under the scanned paths that the walk did not see: deleted, or now ignored.</summary>
    private int RecordMissing(IReadOnlyCollection<string>? subPaths, IndexCurrentFiler current, ScanResult result, IgnoreMatcher ignores)
    {
        // Full scans: the index view knows which of its names the walk saw. Path scans: the walk's own set.
        var candidates = subPaths is null
            ? current.Unseen.Where(m => !m.Deleted).Select(m => m.Name).ToList()
            : subPaths.SelectMany(p => _index.EnumerateLocal(p.Trim('/').Length == 0 ? null : p.Trim('/')))
                .Where(f => !f.Deleted).Select(f => f.Name).Where(n => !result.Seen.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        var changes = new List<LocalFile>();
        int deleted = 0;
        foreach (var name in candidates)
        {
            if (result.IsProtected(name))
                continue;
            var existing = _index.GetLocal(name);
            if (existing is null || existing.Deleted)
                continue;
            if ((ignores.Match(name) & IgnoreResult.Ignored) != 0 || Lockstep.FileSystem.Names.InternalNames.IsInternal(name))
            {
                if (!existing.Invalid || _settings.AnnounceInvalid)
                {
                    if (!existing.Invalid)
                        changes.Add(new LocalFile(LocalVersioning.MarkIgnored(existing, _settings.LocalDevice, Now), 0));
                }
                continue;
            }
            changes.Add(new LocalFile(LocalVersioning.Tombstone(existing, _settings.LocalDevice, Now, _settings.InvalidIsOurs), 0));
            deleted++;
        }
        // Children before parents is irrelevant for tombstones; commit in bounded batches.
        foreach (var chunk in changes.Chunk(1000))
            CommitChanges(chunk.ToList());
        return deleted;
    }
}
