using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Lockstep.Sync.Folders;

namespace Lockstep.Node.Hosting;

/// <summary>
/// The folders a node runs, each a runner under its supervisor with its own stop token, so one can be started or
/// stopped while the others go on (a live configuration change). Readers — the peers, the API, metrics — see it as a
/// live read-only map from folder ID to runner.
/// </summary>
internal sealed class FolderSet : IReadOnlyDictionary<string, FolderRunner>
{
    private sealed record Running(FolderRunner Runner, CancellationTokenSource Stop, Task Supervised, int Order);

    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private int _order;

    /// <summary>The runners in the order they were started (the configuration's order).</summary>
    public IReadOnlyList<FolderRunner> InOrder => _running.Values.OrderBy(r => r.Order).Select(r => r.Runner).ToList();

    /// <summary>Starts <paramref name="runner"/> through <paramref name="supervise"/>, stopped by the node's token or by <see cref="StopAsync"/>.</summary>
    public void Start(FolderRunner runner, Func<CancellationToken, Task> supervise, CancellationToken nodeStopping)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(nodeStopping);
        var task = Task.Run(() => supervise(stop.Token), CancellationToken.None);
        if (!_running.TryAdd(runner.FolderId, new Running(runner, stop, task, Interlocked.Increment(ref _order))))
        {
            stop.Cancel();
            throw new InvalidOperationException($"folder {runner.FolderId} is already running");
        }
    }

    /// <summary>Stops one folder and waits for its worker to end; false when it was not running.</summary>
    public async Task<bool> StopAsync(string folderId)
    {
        if (!_running.TryRemove(folderId, out var running))
            return false;
        await running.Stop.CancelAsync().ConfigureAwait(false);
        await running.Supervised.ConfigureAwait(false);
        await running.Runner.DisposeAsync().ConfigureAwait(false);
        running.Stop.Dispose();
        return true;
    }

    /// <summary>Waits for every worker to end (after the node's token fired).</summary>
    public Task WhenAllStopped() => Task.WhenAll(_running.Values.Select(r => r.Supervised));

    public async Task DisposeRunnersAsync()
    {
        foreach (var running in _running.Values)
            await running.Runner.DisposeAsync().ConfigureAwait(false);
    }

    public FolderRunner this[string key] => _running[key].Runner;
    public IEnumerable<string> Keys => _running.Keys;
    public IEnumerable<FolderRunner> Values => _running.Values.Select(r => r.Runner);
    public int Count => _running.Count;
    public bool ContainsKey(string key) => _running.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FolderRunner value)
    {
        bool found = _running.TryGetValue(key, out var running);
        value = running?.Runner;
        return found;
    }

    public IEnumerator<KeyValuePair<string, FolderRunner>> GetEnumerator() =>
        _running.Select(p => new KeyValuePair<string, FolderRunner>(p.Key, p.Value.Runner)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
