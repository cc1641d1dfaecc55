using Lockstep.Node.Logging;
using Lockstep.Sync.Folders;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Hosting;

/// <summary>How a folder's worker is restarted after a crash, and when its supervisor gives up.</summary>
public sealed record SupervisorPolicy
{
    /// <summary>This many crashes within <see cref="Window"/> mark the folder failed.</summary>
    public int MaxCrashes { get; init; } = 5;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>The wait before the first restart; it doubles with each crash up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(1);

    public static SupervisorPolicy Default { get; } = new();
}

/// <summary>
/// Runs one folder's worker (<see cref="FolderRunner.RunAsync"/>) and restarts it when it crashes, waiting longer
/// after each crash; after <see cref="SupervisorPolicy.MaxCrashes"/> crashes within the window the folder is marked
/// failed (state Error with the last error, seen in status, the API, metrics and events). A crash never reaches the
/// node or its other folders.
/// </summary>
internal static class FolderSupervisor
{
    public static async Task RunAsync(FolderRunner runner, SupervisorPolicy policy, ILogger log, TimeProvider clock, CancellationToken cancellationToken)
    {
        var crashes = new Queue<DateTimeOffset>();
        var delay = policy.FirstDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                return; // a normal stop
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                crashes.Enqueue(now);
                while (crashes.Peek() < now - policy.Window)
                    crashes.Dequeue();
                if (crashes.Count >= policy.MaxCrashes)
                {
                    var reason = $"its worker crashed {crashes.Count} times within {policy.Window.TotalMinutes:0.##} min; the last error: {e.GetType().Name}: {e.Message}";
                    NodeLog.FolderFailed(log, runner.FolderId, reason);
                    runner.MarkFailed(reason);
                    return;
                }
                NodeLog.FolderCrashed(log, runner.FolderId, crashes.Count, policy.Window.TotalMinutes, $"{e.GetType().Name}: {e.Message}",
                    (long)delay.TotalMilliseconds, e);
                try
                {
                    await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, policy.MaxDelay.Ticks));
            }
        }
    }
}
