namespace Lockstep.Sync.Pulling;

/// <summary>Live counters of a folder's pull, read by status and the API while the pull runs. Thread-safe.</summary>
public sealed class PullProgress
{
    private long _needItems, _needBytes, _doneItems, _doneBytes, _inFlightBytes, _copiedBytes, _requestedBytes, _totalItems, _totalBytes;

    public long NeedItems => Interlocked.Read(ref _needItems);
    public long NeedBytes => Interlocked.Read(ref _needBytes);
    public long DoneItems => Interlocked.Read(ref _doneItems);
    public long DoneBytes => Interlocked.Read(ref _doneBytes);
    /// <summary>Bytes requested from peers and not yet written.</summary>
    public long InFlightBytes => Interlocked.Read(ref _inFlightBytes);
    /// <summary>Bytes taken from local files (renames, copies, the file's old version, a reused temp file).</summary>
    public long CopiedBytes => Interlocked.Read(ref _copiedBytes);
    /// <summary>Items pulled since the node started (every pass; never reset), for metrics.</summary>
    public long TotalItems => Interlocked.Read(ref _totalItems);
    /// <summary>Bytes of pulled files since the node started (never reset).</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);
    /// <summary>Bytes received from peers.</summary>
    public long RequestedBytes => Interlocked.Read(ref _requestedBytes);

    internal void Start(long items, long bytes)
    {
        Interlocked.Exchange(ref _needItems, items);
        Interlocked.Exchange(ref _needBytes, bytes);
        Interlocked.Exchange(ref _doneItems, 0);
        Interlocked.Exchange(ref _doneBytes, 0);
    }

    /// <summary>A pull began applying an item: its name, type ("file", "dir", "symlink") and action ("update", "delete"), as Syncthing's ItemStarted.</summary>
    public event Action<string, string, string>? ItemStarted;

    /// <summary>A pull finished with an item; the last argument is the error, or null when it was applied (Syncthing's ItemFinished).</summary>
    public event Action<string, string, string, string?>? ItemFinished;

    internal void Started(string name, string type, string action) => ItemStarted?.Invoke(name, type, action);

    internal void Finished(string name, string type, string action, string? error) => ItemFinished?.Invoke(name, type, action, error);

    internal void ItemDone()
    {
        Interlocked.Increment(ref _doneItems);
        Interlocked.Increment(ref _totalItems);
    }

    internal void BytesDone(long bytes)
    {
        Interlocked.Add(ref _doneBytes, bytes);
        Interlocked.Add(ref _totalBytes, bytes);
    }
    internal void Copied(long bytes) => Interlocked.Add(ref _copiedBytes, bytes);
    internal void InFlight(long delta) => Interlocked.Add(ref _inFlightBytes, delta);
    internal void Requested(long bytes) => Interlocked.Add(ref _requestedBytes, bytes);
}
