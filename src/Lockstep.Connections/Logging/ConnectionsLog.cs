using Microsoft.Extensions.Logging;

namespace Lockstep.Connections.Logging;

/// <summary>
/// Log messages of the connections area, event IDs 3000–3999 (stable). Level policy: Warning = we cannot listen or
/// accept; Information = a peer connected or was refused by device ID (someone should know); Debug = a handshake
/// that never got to a device ID (port scanners, garbage) and individual failed dials.
/// </summary>
internal static partial class ConnectionsLog
{
    [LoggerMessage(3001, LogLevel.Information, "Listening for BEP connections on {address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(3002, LogLevel.Information, "Established secure connection to {deviceId} at {connection} in {handshakeMs:F1} ms")]
    public static partial void Established(ILogger logger, string deviceId, string connection, double handshakeMs);

    [LoggerMessage(3003, LogLevel.Information, "Connection from {remote} refused ({deviceId}): {reason}")]
    public static partial void Refused(ILogger logger, string remote, string deviceId, string reason);

    [LoggerMessage(3004, LogLevel.Debug, "TLS handshake with {remote} failed: {reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(3005, LogLevel.Information, "Peer {deviceId} at {remote} did not negotiate bep/1.0")]
    public static partial void NoAlpn(ILogger logger, string deviceId, string remote);

    [LoggerMessage(3006, LogLevel.Warning, "Accepting on {address} failed: {reason}")]
    public static partial void AcceptFailed(ILogger logger, string address, string reason);

    [LoggerMessage(3007, LogLevel.Debug, "Dialing {deviceId} at {address} failed: {reason}")]
    public static partial void DialFailed(ILogger logger, string deviceId, string address, string reason);

    [LoggerMessage(3008, LogLevel.Debug, "Dialing {deviceId}: next round in {delayMs:F0} ms")]
    public static partial void DialWaiting(ILogger logger, string deviceId, double delayMs);

    [LoggerMessage(3009, LogLevel.Warning, "Handling an incoming connection from {remote} failed unexpectedly")]
    public static partial void HandlerCrashed(ILogger logger, string remote, Exception exception);
}
