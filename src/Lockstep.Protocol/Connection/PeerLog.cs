using Microsoft.Extensions.Logging;

namespace Lockstep.Protocol.Connection;

/// <summary>
/// Log messages of peer connections, event IDs 4000–4099 (stable). Level policy: Warning = we closed a
/// connection because of what the peer sent; Information = a connection ended normally; Debug = detail.
/// </summary>
internal static partial class PeerLog
{
    [LoggerMessage(4001, LogLevel.Warning, "Device {deviceId}: protocol violation, closing: {violation}")]
    public static partial void Violation(ILogger logger, string deviceId, string violation);

    [LoggerMessage(4002, LogLevel.Information, "Device {deviceId}: connection closed: {reason}")]
    public static partial void Closed(ILogger logger, string deviceId, string reason);

    [LoggerMessage(4003, LogLevel.Debug, "Device {deviceId}: response to unknown request id {id} ignored")]
    public static partial void UnknownResponse(ILogger logger, string deviceId, int id);

    [LoggerMessage(4004, LogLevel.Warning, "Device {deviceId}: serving request for {folderId}/{name} failed: {error}")]
    public static partial void RequestFailed(ILogger logger, string deviceId, string folderId, string name, string error);

    [LoggerMessage(4005, LogLevel.Error, "Device {deviceId}: handling a message failed, closing the connection: {error}")]
    public static partial void HandlerFailed(ILogger logger, string deviceId, string error);
}
