using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Errors;

/// <summary>
/// The one exception type of this project. <see cref="Error"/> says what went wrong; <see cref="DeviceId"/>
/// names the peer when the TLS handshake got far enough to learn it. Messages are built in <see cref="ConnectionErrors"/>.
/// </summary>
public sealed class ConnectionException : Exception
{
    internal ConnectionException(ConnectionError error, string message, DeviceId? deviceId = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        DeviceId = deviceId;
    }

    public ConnectionError Error { get; }

    /// <summary>The peer's device ID, when its certificate was seen.</summary>
    public DeviceId? DeviceId { get; }
}
