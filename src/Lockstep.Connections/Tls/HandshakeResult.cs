using System.Net.Security;
using Lockstep.Connections.Trust;

namespace Lockstep.Connections.Tls;

/// <summary>
/// The outcome of <see cref="TlsHandshake"/>: an accepted connection, or the verdict that refused it. When TLS
/// completed but the peer was refused, <see cref="OpenStream"/> is still open and the caller must dispose it.
/// </summary>
internal sealed record HandshakeResult(SecureConnection? Connection, PeerVerdict Verdict, SslStream? OpenStream);
