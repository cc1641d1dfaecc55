using Lockstep.Connections.Errors;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>
/// The outcome of <see cref="PeerAuthenticator"/>. A refused peer still carries its <see cref="DeviceId"/> when its
/// certificate was readable, so the caller can send it a Hello before closing, as Syncthing does with unknown devices.
/// </summary>
public sealed record PeerVerdict
{
    private PeerVerdict(ConnectionError? error, DeviceId? deviceId, string message)
    {
        Error = error;
        DeviceId = deviceId;
        Message = message;
    }

    /// <summary>Null when the peer is accepted.</summary>
    public ConnectionError? Error { get; }

    public DeviceId? DeviceId { get; }

    public string Message { get; }

    public bool IsAccepted => Error is null;

    internal static PeerVerdict Accept(DeviceId id) => new(null, id, $"accepted {id}");

    internal static PeerVerdict Refuse(ConnectionError error, DeviceId? id, string message) => new(error, id, message);
}
