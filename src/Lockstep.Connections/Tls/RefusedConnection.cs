using System.Net;
using System.Net.Security;
using Lockstep.Connections.Errors;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tls;

/// <summary>
/// An incoming connection the listener turned away. <see cref="Stream"/> is open while the listener's callback runs
/// when TLS completed (the peer was refused by device ID), so the Hello layer can send Syncthing's courtesy Hello to an
/// unknown device before the close; it is null when TLS itself failed. The listener closes it after the callback.
/// </summary>
public sealed record RefusedConnection(
    EndPoint RemoteEndPoint,
    ConnectionError Error,
    string Message,
    DeviceId? DeviceId,
    SslStream? Stream,
    DateTimeOffset At);
