using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

/// <summary>
/// Walks a folder (or some paths in it) and reports what differs from the index. It never follows symlinks,
/// never writes, skips internal and temp names and ignored items, and hashes changed files on all cores.
/// Turning what it saw into versions is the folder runner's job.
/// </summary>
public sealed partial class FolderScanner
{
    /// <summary>Files larger than this are read with the kernel's longer read-ahead; a small file is one read anyway.</summary>
    private const long SequentialReadMinBytes = 1 << 20;

    private readonly string _root;
    private readonly IgnoreMatcher _ignores;
    private readonly ScanOptions _options;

    public FolderScanner(string root, IgnoreMatcher ignores, ScanOptions options)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _ignores = ignores;
        _options = options;
    }

    /// <summary>
    /// Scans the whole folder (<paramref name="subPaths"/> null) or the given folder-relative names and
    /// their parents. Changed items are handed to <paramref name="onBatch"/> in batches, one call at a time.
    /// </summary>
    public async Task<ScanResult> ScanAsync(ICurrentFiler current, IReadOnlyCollection<string>? subPaths,
        Func<IReadOnlyList<ScannedItem>, CancellationToken, ValueTask> onBatch,
        IProgress<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new ScanResult();
        var walk = new WalkState(current, result);
        if (subPaths is null)
            WalkDirectory("", _root, walk, cancellationToken);
        else
            foreach (var sub in NormaliseSubPaths(subPaths))
                WalkSubPath(sub, walk, cancellationToken);

        var tracker = new ProgressTracker(progress, walk.Walked, walk.ToHash.Count, walk.ToHash.Sum(h => h.Stat.Size));
        tracker.Report(force: true);

        var channel = Channel.CreateBounded<ScannedItem>(new BoundedChannelOptions(_options.BatchSize * 2) { SingleReader = true });
        var consumer = ConsumeAsync(channel.Reader, walk.Changed, onBatch, cancellationToken);
        try
        {
            await Parallel.ForEachAsync(walk.ToHash,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.HashParallelism), CancellationToken = cancellationToken },
                async (job, ct) =>
                {
                    var item = HashFile(job, result, tracker, ct);
                    if (item is not null)
                        await channel.Writer.WriteAsync(item, ct);
                });
        }
        finally
        {
            channel.Writer.TryComplete();
        }
        await consumer;
        tracker.Report(force: true);
        result.Hashed = tracker.FilesHashed;
        result.HashedBytes = tracker.BytesHashed;
        return result;
    }

    private async Task ConsumeAsync(ChannelReader<ScannedItem> reader, List<ScannedItem> unhashed,
        Func<IReadOnlyList<ScannedItem>, CancellationToken, ValueTask> onBatch, CancellationToken cancellationToken)
    {
        // Directories and symlinks (no hashing) go first, so a directory is recorded before its files.
        var batch = new List<ScannedItem>(_options.BatchSize);
        foreach (var item in unhashed)
        {
            batch.Add(item);
            if (batch.Count >= _options.BatchSize)
            {
                await onBatch(batch, cancellationToken);
                batch = new List<ScannedItem>(_options.BatchSize);
            }
        }
        await foreach (var item in reader.ReadAllAsync(cancellationToken))
        {
            batch.Add(item);
            if (batch.Count >= _options.BatchSize)
            {
                await onBatch(batch, cancellationToken);
                batch = new List<ScannedItem>(_options.BatchSize);
            }
        }
        if (batch.Count > 0)
            await onBatch(batch, cancellationToken);
    }

    private ScannedItem? HashFile(HashJob job, ScanResult result, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        ImmutableArray<BlockInfo> blocks;
        long startedNs = RacyRead.NowUnixNs();
        try
        {
            using var handle = NativeFile.OpenRead(job.Path, sequential: job.Stat.Size > SequentialReadMinBytes);
            blocks = BlockHasher.Hash(handle, job.Stat.Size, job.BlockSize, _options.HashParallelism, tracker.AddBytes, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or TornReadException)
        {
            Retry(job.Name, result, "it changed or vanished while it was hashed; it will be scanned again");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            Problem(result, job.Name, ScanProblemKind.Unreadable, $"cannot read '{job.Path}': permission denied; the index keeps its previous entry");
            return null;
        }
        catch (IOException e)
        {
            Problem(result, job.Name, ScanProblemKind.Unreadable, $"cannot read '{job.Path}': {e.Message}; the index keeps its previous entry");
            return null;
        }
        _options.AfterHashing?.Invoke(job.Name, job.Path);
        // The read is only trusted if the file looks exactly as it did before it was opened.
        if (!StatX.TryLstat(job.Path, out var after, out _) || !after.IsRegular || !after.SameContentIdentity(job.Stat))
        {
            Retry(job.Name, result, "it changed while it was hashed; it will be scanned again");
            return null;
        }
        if (RacyRead.IsRacy(after, startedNs))
        {
            Retry(job.Name, result, "it was written while it was hashed (or just before); it will be scanned again once it is quiet");
            return null;
        }
        tracker.FileDone();
        var s = job.Stat;
        return new ScannedItem(job.Name, FileInfoType.File, s.Size, s.ModifiedS, s.ModifiedNs, s.Permissions, s.Inode, "", job.BlockSize, blocks);
    }

    private static void Retry(string name, ScanResult result, string why)
    {
        lock (result)
        {
            result.DoNotDelete.Add(name);
            result.Problems.Add(new ScanProblem(name, ScanProblemKind.ChangedWhileHashing, $"'{name}': {why}"));
        }
    }

    private static void Problem(ScanResult result, string name, ScanProblemKind kind, string message)
    {
        lock (result)
        {
            result.DoNotDelete.Add(name);
            result.Problems.Add(new ScanProblem(name, kind, message));
        }
    }

    private static IEnumerable<string> NormaliseSubPaths(IReadOnlyCollection<string> subPaths)
    {
        // Drop paths covered by another requested path; "" means the whole folder.
        var sorted = subPaths.Select(p => p.Trim('/')).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        string? last = null;
        foreach (var p in sorted)
        {
            if (last is not null && (last.Length == 0 || p == last || p.StartsWith(last + "/", StringComparison.Ordinal)))
                continue;
            last = p;
            yield return p;
        }
    }

    private sealed record HashJob(string Name, string Path, FileStat Stat, int BlockSize);

    private sealed class ProgressTracker(IProgress<ScanProgress>? progress, long walked, long filesToHash, long bytesToHash)
    {
        private readonly Stopwatch _sinceReport = Stopwatch.StartNew();
        private long _filesHashed, _bytesHashed;
        public long FilesHashed => Interlocked.Read(ref _filesHashed);
        public long BytesHashed => Interlocked.Read(ref _bytesHashed);

        public void AddBytes(long n)
        {
            Interlocked.Add(ref _bytesHashed, n);
            Report(force: false);
        }

        public void FileDone()
        {
            Interlocked.Increment(ref _filesHashed);
            Report(force: false);
        }

        public void Report(bool force)
        {
            if (progress is null)
                return;
            lock (_sinceReport)
            {
                if (!force && _sinceReport.ElapsedMilliseconds < 100)
                    return;
                _sinceReport.Restart();
            }
            progress.Report(new ScanProgress(walked, filesToHash, bytesToHash, FilesHashed, BytesHashed));
        }
    }
}
