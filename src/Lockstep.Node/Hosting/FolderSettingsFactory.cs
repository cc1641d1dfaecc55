using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;

namespace Lockstep.Node.Hosting;

/// <summary>Freezes a folder's config into the runner's settings (units become TimeSpan here, at the edge).</summary>
public static class FolderSettingsFactory
{
    public static FolderSettings From(FolderConfig folder, DeviceId me) => new()
    {
        Id = folder.Id,
        Path = folder.Path,
        LocalDevice = me.Short,
        IgnorePermissions = folder.IgnorePerms,
        AnnounceInvalid = folder.Type == FolderType.Observe,
        Kind = folder.Type switch
        {
            FolderType.SendOnly => FolderKind.SendOnly,
            FolderType.ReceiveOnly => FolderKind.ReceiveOnly,
            FolderType.Observe => FolderKind.Observe,
            _ => FolderKind.SendReceive,
        },
        Peers = [.. folder.Devices.Where(d => d != me)],
        MaxConflicts = folder.MaxConflicts,
        MaxDeletePercent = folder.MaxDeletePercent,
        PullOrder = folder.Order,
        MaxBytesInFlight = folder.PullerMaxPendingKiB * 1024L,
        Versioning = folder.Versioning.ToSettings(),
        ConflictStrategy = folder.ConflictStrategy,
        RescanInterval = folder.RescanIntervalS > 0 ? TimeSpan.FromSeconds(folder.RescanIntervalS) : Timeout.InfiniteTimeSpan,
        WatcherEnabled = folder.FsWatcherEnabled,
        WatcherDelay = TimeSpan.FromSeconds(folder.FsWatcherDelayS),
    };
}
