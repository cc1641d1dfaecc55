using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Logging;

/// <summary>
/// Log messages of the node area, event IDs 1000–1999 (stable). Level policy as in SyncLog: Error = the
/// node or a folder stopped; Warning = something was skipped; Information = lifecycle; Debug = detail.
/// </summary>
internal static partial class NodeLog
{
    [LoggerMessage(1001, LogLevel.Information, "Node {deviceId} ({name}) started with {folders} folders")]
    public static partial void Started(ILogger logger, string deviceId, string name, int folders);

    [LoggerMessage(1002, LogLevel.Information, "Node {deviceId} stopped")]
    public static partial void Stopped(ILogger logger, string deviceId);

    [LoggerMessage(1003, LogLevel.Information, "Configuration changed and applied live (saved to {path})")]
    public static partial void ConfigApplied(ILogger logger, string path);

    [LoggerMessage(1010, LogLevel.Error, "Folder {folderId}: its worker crashed ({crashes} in the last {windowMinutes} min): {error}; restarting it in {delayMs} ms")]
    public static partial void FolderCrashed(ILogger logger, string folderId, int crashes, double windowMinutes, string error, long delayMs, Exception exception);

    [LoggerMessage(1011, LogLevel.Critical, "Folder {folderId} failed: {reason}. The node and its other folders go on; fix the cause and restart the node")]
    public static partial void FolderFailed(ILogger logger, string folderId, string reason);
}
