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
    /// <summary>What the folder does with its own and its peers' changes.</summary>
    public FolderKind Kind { get; init; } = FolderKind.SendReceive;

    /// <summary>
    /// Receive-only folders record local changes as invalid (peers never pull them, the cluster's version stays
    /// global) until a person reverts them.
    /// </summary>
    public bool FlagsLocalChanges => Kind == FolderKind.ReceiveOnly;

    /// <summary>Invalid local entries are this folder's own doing (observe, or receive-only changes), not ignores.</summary>
    internal bool InvalidIsOurs => AnnounceInvalid || FlagsLocalChanges;
    /// <summary>The other devices the folder is shared with: whose announcements make up the global state.</summary>
    public System.Collections.Immutable.ImmutableArray<Lockstep.Protocol.Identity.DeviceId> Peers { get; init; } = [];
    public Pulling.PullOrder PullOrder { get; init; } = Pulling.PullOrder.Random;
    /// <summary>Bytes requested from peers and not yet written, at most (Syncthing's pullerMaxPendingKiB).</summary>
    public long MaxBytesInFlight { get; init; } = 32L * 1024 * 1024;
    /// <summary>A pull that would delete more than this percentage of the folder's files waits for a person.</summary>
    public int MaxDeletePercent { get; init; } = 50;
    /// <summary>Conflict copies kept per file (oldest pruned); 0 deletes the loser, -1 keeps all.</summary>
    public int MaxConflicts { get; init; } = 10;
    /// <summary>Which bytes stay live after a conflict (newest, largest, prefer:DEVICE, manual).</summary>
    public Global.ConflictStrategy ConflictStrategy { get; init; } = Global.ConflictStrategy.Default;
    /// <summary>How soon a pull retries items that failed, at first; doubled per failed pass up to a minute.</summary>
    public TimeSpan PullRetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>What happens to the bytes a remote change replaces or deletes.</summary>
    public Versioning.VersioningSettings Versioning { get; init; } = Lockstep.Sync.Versioning.VersioningSettings.None;
    /// <summary>How soon a file that changed while it was hashed is looked at again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
