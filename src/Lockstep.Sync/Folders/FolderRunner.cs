using System.Threading.Channels;
using Lockstep.FileSystem.Scanning;
using Lockstep.FileSystem.Watching;
using Lockstep.Index;
using Lockstep.Sync.Logging;
using Microsoft.Extensions.Logging;

namespace Lockstep.Sync.Folders;

/// <summary>
/// The single owner of a folder's local state (STYLE rule 5): one loop reads a channel of commands; the
/// watcher, the rescan timer and callers only enqueue. Issue 2 scope: scan → record versions in the index.
/// </summary>
public sealed class FolderRunner : IAsyncDisposable
{
    private readonly FolderSettings _settings;
    private readonly FolderIndex _index;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly Channel<FolderCommand> _commands = Channel.CreateUnbounded<FolderCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LocalScan _scan;
    private FolderWatcher? _watcher;
    private ITimer? _rescanTimer;
    private volatile FolderState _state = FolderState.Idle;
    private volatile string? _error;

    public FolderRunner(FolderSettings settings, FolderIndex index, ILogger log, TimeProvider? clock = null)
    {
        _settings = settings;
        _index = index;
        _log = log;
        _clock = clock ?? TimeProvider.System;
        _scan = new LocalScan(settings, index, _clock);
        _scan.Committed += files => LocalIndexUpdated?.Invoke(files);
    }

    public string FolderId => _settings.Id;
    public FolderState State => _state;
    /// <summary>Why the folder is in <see cref="FolderState.Error"/>, naming the path and the fix.</summary>
    public string? Error => _error;
    public ScanProgress? Progress { get; private set; }

    /// <summary>The ignore patterns in force, as the last scan read them.</summary>
    public Lockstep.FileSystem.Ignore.IgnoreMatcher Ignores => _scan.Ignores;
    public ScanSummary? LastScan { get; private set; }

    /// <summary>New local versions, as committed (sequence assigned): what later issues announce to peers.</summary>
    public event Action<IReadOnlyList<FileInfo>>? LocalIndexUpdated;
    public event Action<FolderState, FolderState>? StateChanged;

    /// <summary>Enqueues a scan and waits for it. Paths null means the whole folder.</summary>
    public Task<ScanSummary> ScanAsync(IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<ScanSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        _commands.Writer.TryWrite(new FolderCommand.Scan(paths, done));
        return done.Task;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _commands.Writer.TryWrite(new FolderCommand.Scan(null, null)); // initial full scan
        _rescanTimer = _clock.CreateTimer(_ => _commands.Writer.TryWrite(new FolderCommand.Scan(null, null)),
            null, _settings.RescanInterval, _settings.RescanInterval);
        try
        {
            await foreach (var command in _commands.Reader.ReadAllAsync(cancellationToken))
            {
                switch (command)
                {
                    case FolderCommand.Scan scan:
                        await HandleScanAsync(MergeQueuedScans(scan), cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _rescanTimer?.Dispose();
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    /// <summary>
    /// Folds every scan already waiting in the queue into this one (watcher batches pile up during a long
    /// scan): one walk covers them all, and every waiter gets the merged summary.
    /// </summary>
    private FolderCommand.Scan MergeQueuedScans(FolderCommand.Scan first)
    {
        if (!_commands.Reader.TryPeek(out var next) || next is not FolderCommand.Scan)
            return first;
        HashSet<string>? paths = first.Paths is null ? null : new HashSet<string>(first.Paths, StringComparer.Ordinal);
        var waiters = new List<TaskCompletionSource<ScanSummary>>();
        if (first.Done is not null)
            waiters.Add(first.Done);
        while (_commands.Reader.TryPeek(out next) && next is FolderCommand.Scan more && _commands.Reader.TryRead(out _))
        {
            if (more.Paths is null)
                paths = null;
            else
                paths?.UnionWith(more.Paths);
            if (more.Done is not null)
                waiters.Add(more.Done);
        }
        if (waiters.Count <= 1)
            return new FolderCommand.Scan(paths, waiters.FirstOrDefault());
        var merged = new TaskCompletionSource<ScanSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        merged.Task.ContinueWith(t =>
        {
            foreach (var w in waiters)
            {
                if (t.IsCompletedSuccessfully)
                    w.TrySetResult(t.Result);
                else if (t.IsCanceled)
                    w.TrySetCanceled();
                else
                    w.TrySetException(t.Exception!.InnerExceptions);
            }
        }, TaskScheduler.Default);
        return new FolderCommand.Scan(paths, merged);
    }

    private async Task HandleScanAsync(FolderCommand.Scan scan, CancellationToken cancellationToken)
    {
        var problem = FolderMarker.Check(_settings.Path);
        if (problem is not null)
        {
            // Stop at once, delete nothing; the periodic rescan or a watcher event looks again.
            _watcher?.Dispose();
            _watcher = null;
            if (_error != problem)
                SyncLog.FolderError(_log, _settings.Id, problem);
            _error = problem;
            SetState(FolderState.Error);
            scan.Done?.TrySetException(new FolderErrorException(_settings.Id, problem));
            return;
        }
        if (_error is not null)
        {
            SyncLog.FolderRecovered(_log, _settings.Id);
            _error = null;
        }
        EnsureWatcher();
        SetState(FolderState.Scanning);
        try
        {
            var summary = await _scan.RunAsync(scan.Paths, new Progress<ScanProgress>(p => Progress = p), cancellationToken);
            LastScan = summary;
            foreach (var p in summary.Problems)
            {
                if (p.Kind == ScanProblemKind.ChangedWhileHashing)
                    SyncLog.Deferred(_log, _settings.Id, p.Name); // normal for a file being written: not a warning
                else
                    SyncLog.ScanProblem(_log, _settings.Id, p.Name, p.Message);
            }
            if (summary.Changed > 0 || summary.Deleted > 0)
                SyncLog.Scanned(_log, _settings.Id, summary.Changed, summary.Deleted, summary.Duration.TotalMilliseconds);
            ScheduleRetries(summary);
            // Idle before the caller hears back, so whoever awaited the scan sees the state it left.
            SetState(FolderState.Idle);
            scan.Done?.TrySetResult(summary);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            scan.Done?.TrySetCanceled(cancellationToken);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Lockstep.FileSystem.Ignore.IgnoreFileException)
        {
            _error = e.Message;
            SyncLog.FolderError(_log, _settings.Id, e.Message);
            SetState(FolderState.Error);
            scan.Done?.TrySetException(new FolderErrorException(_settings.Id, e.Message));
        }
    }

    private void ScheduleRetries(ScanSummary summary)
    {
        var retry = summary.Problems.Where(p => p.Kind == ScanProblemKind.ChangedWhileHashing).Select(p => p.Name).ToList();
        if (retry.Count == 0)
            return;
        ITimer? timer = null;
        timer = _clock.CreateTimer(_ =>
        {
            _commands.Writer.TryWrite(new FolderCommand.Scan(retry, null));
            timer?.Dispose();
        }, null, _settings.RetryDelay, Timeout.InfiniteTimeSpan);
    }

    private void EnsureWatcher()
    {
        if (_watcher is not null || !_settings.WatcherEnabled)
            return;
        try
        {
            _watcher = new FolderWatcher(_settings.Path, _settings.WatcherDelay, batch =>
            {
                _commands.Writer.TryWrite(new FolderCommand.Scan(batch.Paths, null));
                return ValueTask.CompletedTask;
            }, _clock);
            _watcher.Start();
        }
        catch (IOException e)
        {
            // Typically the inotify instance limit: the periodic rescan still keeps the index right.
            _watcher?.Dispose();
            _watcher = null;
            SyncLog.WatcherFailed(_log, _settings.Id, e.Message);
        }
    }

    private void SetState(FolderState next)
    {
        var previous = _state;
        if (previous == next)
            return;
        _state = next;
        StateChanged?.Invoke(previous, next);
    }

    public ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        _rescanTimer?.Dispose();
        _watcher?.Dispose();
        return ValueTask.CompletedTask;
    }
}
