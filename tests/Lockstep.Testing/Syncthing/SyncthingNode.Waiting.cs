using System.Diagnostics;
using System.Text.Json;

namespace Lockstep.Testing;

/// <summary>Waiting on Syncthing's state: polls REST with short delays, never a fixed sleep; fails early when the process dies.</summary>
public sealed partial class SyncthingNode
{
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds. REST failures count as "not yet" (the last one is reported);
    /// a Syncthing that exits fails at once. The timeout message carries the last lines of Syncthing's log.
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await condition())
                    return;
                last = null;
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException)
            {
                last = e;
            }
            if (HasExited)
                throw new InvalidOperationException($"{this} exited (code {ExitCode}) while waiting for {what}\n--- syncthing log\n{LogTail()}");
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F1} s waiting for {what} on {this}"
                                           + (last is null ? "" : $"; last error: {last.Message}") + $"\n--- syncthing log\n{LogTail()}");
            await Task.Delay(PollDelay, cancellationToken);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="accept"/> holds for its value, and returns that value.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string what,
        CancellationToken cancellationToken = default)
    {
        var seen = default(T);
        var found = default(T);
        try
        {
            await WaitUntilAsync(async () =>
            {
                seen = await probe();
                if (!accept(seen))
                    return false;
                found = seen;
                return true;
            }, timeout, what, cancellationToken);
        }
        catch (TimeoutException e) when (seen is not null)
        {
            throw new TimeoutException($"{e.Message.Split('\n')[0]}; last seen: {seen}\n{string.Join('\n', e.Message.Split('\n').Skip(1))}", e);
        }
        return found!;
    }

    /// <summary>
    /// Waits until db/status shows the folder idle, needing nothing, without pull errors, and (when given) holding
    /// <paramref name="localFiles"/> files. Returns that status.
    /// </summary>
    public Task<SyncthingFolderStatus> WaitForFolderIdleAsync(string folderId, long? localFiles = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        WaitForAsync(() => Rest.GetFolderStatusAsync(folderId, cancellationToken),
            s => s.IsIdleAndInSync && (localFiles is null || s.LocalFiles == localFiles),
            timeout ?? TimeSpan.FromSeconds(60),
            $"folder {folderId} idle and in sync" + (localFiles is null ? "" : $" with {localFiles} local files"), cancellationToken);

    /// <summary>Waits until system/connections shows <paramref name="deviceId"/> connected; returns that entry.</summary>
    public Task<SyncthingConnection> WaitForConnectionAsync(string deviceId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(async () => await Rest.GetConnectionAsync(deviceId, cancellationToken)
                                 ?? throw new InvalidOperationException($"device {deviceId} is not configured on {this}"),
            c => c.Connected, timeout ?? TimeSpan.FromSeconds(60), $"device {deviceId} connected", cancellationToken);

    /// <summary>
    /// Long-polls the unfiltered event stream (buffered since Syncthing started, so <paramref name="since"/> = 0 sees
    /// startup too) until an event matches; returns it. Pass the returned Id as the next <paramref name="since"/>.
    /// </summary>
    public async Task<SyncthingEvent> WaitForEventAsync(Func<SyncthingEvent, bool> match, TimeSpan timeout, string what, long since = 0,
        CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - sw.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F1} s waiting for event {what} on {this}\n--- syncthing log\n{LogTail()}");
            if (HasExited)
                throw new InvalidOperationException($"{this} exited (code {ExitCode}) while waiting for event {what}\n--- syncthing log\n{LogTail()}");
            var poll = left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5);
            foreach (var e in await Rest.GetEventsAsync(since, types: null, poll, cancellationToken))
            {
                since = Math.Max(since, e.Id);
                if (match(e))
                    return e;
            }
        }
    }

    /// <summary>
    /// Startup: REST answers ping and the BEP listener is bound. 1.19 logs "TCP listener (ADDR) starting" only after a
    /// successful bind; a taken port shows in system/status connectionServiceStatus (BEP) or makes Syncthing exit (GUI).
    /// </summary>
    private async Task<StartOutcome> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var listening = $"TCP listener (127.0.0.1:{ListenPort}) starting";
        string ThisAttempt() => Log[_logStart..];
        while (sw.Elapsed < Options.StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasExited)
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(5));
                return ThisAttempt().Contains("address already in use", StringComparison.Ordinal) ? StartOutcome.PortTaken : StartOutcome.Exited;
            }
            if (await Rest.TryPingAsync(cancellationToken: cancellationToken))
            {
                if (ThisAttempt().Contains(listening, StringComparison.Ordinal))
                    return StartOutcome.Ready;
                try
                {
                    var status = await Rest.GetSystemStatusAsync(cancellationToken);
                    var error = status.Obj("connectionServiceStatus").Obj(ListenAddress).Obj("error");
                    if (error.ValueKind == JsonValueKind.String && error.GetString()!.Contains("address already in use", StringComparison.Ordinal))
                        return StartOutcome.PortTaken;
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException)
                {
                }
            }
            await Task.Delay(PollDelay, cancellationToken);
        }
        return StartOutcome.TimedOut;
    }
}
