using Lockstep.FileSystem.Names;

namespace Lockstep.FileSystem.Watching;

/// <summary>
/// One inotify-backed watcher for a folder (each FileSystemWatcher is one inotify instance; root shares a
/// limit of 128, ARCHITECTURE.md §5). Events are coalesced per path: the first event opens a window of
/// <c>delay</c>; when it closes, every path seen in it is handed over at once. A kernel queue overflow asks
/// for a full rescan (<see cref="WatchBatch.FullRescan"/>).
/// </summary>
public sealed class FolderWatcher : IDisposable
{
    private readonly string _root;
    private readonly TimeSpan _delay;
    private readonly Func<WatchBatch, ValueTask> _onBatch;
    private readonly TimeProvider _clock;
    private readonly FileSystemWatcher _watcher;
    private readonly object _gate = new();
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private bool _overflow;
    private ITimer? _window;
    private bool _disposed;

    public FolderWatcher(string root, TimeSpan delay, Func<WatchBatch, ValueTask> onBatch, TimeProvider? clock = null)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _delay = delay;
        _onBatch = onBatch;
        _clock = clock ?? TimeProvider.System;
        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite |
                           NotifyFilters.Size | NotifyFilters.Attributes | NotifyFilters.Security,
        };
        _watcher.Changed += (_, e) => Add(e.FullPath);
        _watcher.Created += (_, e) => Add(e.FullPath);
        _watcher.Deleted += (_, e) => Add(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Add(e.OldFullPath);
            Add(e.FullPath);
        };
        _watcher.Error += (_, _) => Overflow();
    }

    /// <summary>Starts delivering events. Throws IOException when the inotify instance limit is reached.</summary>
    public void Start() => _watcher.EnableRaisingEvents = true;

    private void Add(string fullPath)
    {
        if (!fullPath.StartsWith(_root, StringComparison.Ordinal))
            return;
        var name = fullPath.Length == _root.Length ? "" : fullPath[(_root.Length + 1)..];
        // Our own temp files and the internal names never trigger a scan; .stignore does (patterns changed).
        if (name.Length > 0 && (InternalNames.IsTemporary(name) || (InternalNames.IsInternal(name) && name != InternalNames.IgnoreFile)))
        {
            if (name == InternalNames.Marker)
                Schedule(() => _overflow = true); // the marker vanished or came back: the runner must look at the root
            return;
        }
        Schedule(() => _pending.Add(NameRules.ToNfc(name)));
    }

    private void Overflow() => Schedule(() => _overflow = true);

    private void Schedule(Action record)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            record();
            // The window starts at the first event and is not pushed back by later ones, so a file written
            // continuously is still picked up every delay.
            _window ??= _clock.CreateTimer(_ => Flush(), null, _delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        WatchBatch batch;
        lock (_gate)
        {
            _window?.Dispose();
            _window = null;
            if (_disposed)
                return;
            batch = new WatchBatch(_overflow || _pending.Contains("") ? null : _pending.ToList());
            _pending = new HashSet<string>(StringComparer.Ordinal);
            _overflow = false;
        }
        _ = _onBatch(batch).AsTask();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _window?.Dispose();
        }
        _watcher.Dispose();
    }
}

/// <summary>Paths changed within one debounce window; <see cref="Paths"/> null means "rescan everything".</summary>
public sealed record WatchBatch(IReadOnlyList<string>? Paths)
{
    public bool FullRescan => Paths is null;
}
