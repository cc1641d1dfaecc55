using Microsoft.Extensions.Logging;

namespace Lockstep.Sync.Logging;

/// <summary>
/// Log messages of the sync area, event IDs 2000–2999 (stable: dashboards and alerts key on them).
/// Level policy: Error = a folder stopped; Warning = an item could not be handled; Information = a
/// change of state or a completed unit of work; Debug = per-item detail.
/// </summary>
internal static partial class SyncLog
{
    [LoggerMessage(2001, LogLevel.Information, "Folder {folderId}: scan recorded {changed} changes and {deleted} deletions in {elapsedMs:F0} ms")]
    public static partial void Scanned(ILogger logger, string folderId, int changed, int deleted, double elapsedMs);

    [LoggerMessage(2002, LogLevel.Warning, "Folder {folderId}: {name}: {problem}")]
    public static partial void ScanProblem(ILogger logger, string folderId, string name, string problem);

    [LoggerMessage(2003, LogLevel.Error, "Folder {folderId} stopped: {reason}")]
    public static partial void FolderError(ILogger logger, string folderId, string reason);

    [LoggerMessage(2004, LogLevel.Information, "Folder {folderId} recovered from its error")]
    public static partial void FolderRecovered(ILogger logger, string folderId);

    [LoggerMessage(2005, LogLevel.Warning, "Folder {folderId}: the file watcher could not start ({reason}); changes are picked up by the periodic rescan")]
    public static partial void WatcherFailed(ILogger logger, string folderId, string reason);

    [LoggerMessage(2006, LogLevel.Debug, "Folder {folderId}: {name} is being written; it will be scanned again once it is quiet")]
    public static partial void Deferred(ILogger logger, string folderId, string name);

    [LoggerMessage(2010, LogLevel.Information, "Folder {folderId}: pulled {applied} items from peers ({failed} left for a retry)")]
    public static partial void Pulled(ILogger logger, string folderId, int applied, int failed);

    [LoggerMessage(2011, LogLevel.Warning, "Folder {folderId}: cannot pull {name}: {problem}")]
    public static partial void PullFailed(ILogger logger, string folderId, string name, string problem);

    [LoggerMessage(2012, LogLevel.Warning, "Folder {folderId} paused: {reason}")]
    public static partial void Paused(ILogger logger, string folderId, string reason);

    [LoggerMessage(2013, LogLevel.Information, "Folder {folderId} resumed (deletes past the limit allowed: {allowDeletes})")]
    public static partial void Resumed(ILogger logger, string folderId, bool allowDeletes);

    [LoggerMessage(2014, LogLevel.Information, "Folder {folderId}: override published {count} local items as the newest versions")]
    public static partial void Overridden(ILogger logger, string folderId, int count);

    [LoggerMessage(2015, LogLevel.Information, "Folder {folderId}: revert undid {count} local changes and removed {removed} files only this device had")]
    public static partial void Reverted(ILogger logger, string folderId, int count, int removed);
}
