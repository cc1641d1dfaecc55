using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Logging;

// Peers, event IDs 1100–1199 (stable; names after Syncthing's events where it has one).
internal static partial class NodeLog
{
    [LoggerMessage(1101, LogLevel.Information, "Listening for peers on {address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(1102, LogLevel.Information, "DeviceConnected {deviceId} ({deviceName}) at {address}, {type}, {crypto}, {clientName} {clientVersion}")]
    public static partial void DeviceConnected(ILogger logger, string deviceId, string address, string type, string crypto,
        string clientName, string clientVersion, string deviceName);

    [LoggerMessage(1103, LogLevel.Information, "DeviceDisconnected {deviceId}: {reason}")]
    public static partial void DeviceDisconnected(ILogger logger, string deviceId, string reason);

    [LoggerMessage(1104, LogLevel.Warning, "DeviceRejected {deviceId} at {address}: {reason}; it is listed as pending until a person adds it (lockstep device add)")]
    public static partial void DeviceRejected(ILogger logger, string deviceId, string address, string reason);

    [LoggerMessage(1105, LogLevel.Warning, "Device {deviceId} at {address}: Hello exchange failed: {reason}")]
    public static partial void HelloFailed(ILogger logger, string deviceId, string address, string reason);

    [LoggerMessage(1106, LogLevel.Information, "Device {deviceId} offers folder {folderId}, which is not shared with it here")]
    public static partial void FolderNotShared(ILogger logger, string deviceId, string folderId);

    [LoggerMessage(1107, LogLevel.Debug, "RemoteIndexUpdated {deviceId} {folderId}: {items} items (update: {isUpdate})")]
    public static partial void RemoteIndexUpdated(ILogger logger, string deviceId, string folderId, int items, bool isUpdate);

    [LoggerMessage(1108, LogLevel.Debug, "ClusterConfig from {deviceId}: folders [{announced}], shared here [{active}]")]
    public static partial void ClusterConfigReceived(ILogger logger, string deviceId, string announced, string active);

    [LoggerMessage(1109, LogLevel.Debug, "Sending {folderId} to {deviceId}: {mode} (it holds our index {peerIndexId:x16} up to {peerMaxSequence}; ours is {indexId:x16} up to {maxSequence})")]
    public static partial void SendingIndex(ILogger logger, string deviceId, string folderId, string mode, ulong peerIndexId, long peerMaxSequence, ulong indexId, long maxSequence);

    [LoggerMessage(1120, LogLevel.Information, "Introducer {deviceId} introduced devices; the node now knows {devices}")]
    public static partial void Introduced(ILogger logger, string deviceId, string devices);
}
