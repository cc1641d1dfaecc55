using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Folders;

/// <summary>A folder's frozen settings as the runner uses them (validated by the config layer).</summary>
public sealed record FolderSettings
{
    public required string Id { get; init; }
    public required string Path { get; init; }
    public required ShortId LocalDevice { get; init; }
    public bool IgnorePermissions { get; init; }
    /// <summary>Observe folders announce every item as invalid so no peer ever pulls from them.</summary>
    public bool AnnounceInvalid { get; init; }
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromHours(1);
    public bool WatcherEnabled { get; init; } = true;
    public TimeSpan WatcherDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public int HashParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>How soon a file that changed while it was hashed is looked at again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
