using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Arbitration;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tls;

/// <summary>
/// A TLS connection whose peer passed <see cref="Trust.PeerAuthenticator"/>: the stream to run BEP over (Hello
/// first) and the facts REST and the connection arbiter need. Owns the stream; disposing closes the TCP connection.
/// </summary>
public sealed class SecureConnection : IAsyncDisposable
{
    internal SecureConnection(SslStream stream, DeviceId remoteId, X509Certificate2 remoteCertificate,
        EndPoint remoteEndPoint, EndPoint localEndPoint, ConnectionDirection direction, DateTimeOffset startedAt,
        TimeSpan handshakeDuration)
    {
        Stream = stream;
        RemoteId = remoteId;
        RemoteCertificate = remoteCertificate;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        Direction = direction;
        StartedAt = startedAt;
        HandshakeDuration = handshakeDuration;
        var alpn = stream.NegotiatedApplicationProtocol;
        ApplicationProtocol = alpn == default ? null : alpn.ToString();
        Crypto = TlsDescription.Of(stream);
    }

    public SslStream Stream { get; }

    public DeviceId RemoteId { get; }

    public X509Certificate2 RemoteCertificate { get; }

    public EndPoint RemoteEndPoint { get; }

    public EndPoint LocalEndPoint { get; }

    /// <summary>The negotiated ALPN protocol (<c>bep/1.0</c>), or null when the peer offered none; Syncthing tolerates that.</summary>
    public string? ApplicationProtocol { get; }

    /// <summary>Version and cipher suite as Syncthing's REST shows them, e.g. <c>TLS1.3-TLS_AES_128_GCM_SHA256</c>.</summary>
    public string Crypto { get; }

    public ConnectionDirection Direction { get; }

    /// <summary>Syncthing's connection type name: <c>tcp-client</c> when we dialed, <c>tcp-server</c> when the peer did.</summary>
    public string Type => Direction == ConnectionDirection.Outgoing ? "tcp-client" : "tcp-server";

    /// <summary>When the handshake completed.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>From TCP established to TLS done (and the peer authenticated).</summary>
    public TimeSpan HandshakeDuration { get; }

    /// <summary>What <see cref="ConnectionArbiter"/> needs to know about this connection.</summary>
    public ConnectionFacts Facts => new(Direction, StartedAt);

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    public override string ToString() => $"{LocalEndPoint}-{RemoteEndPoint}/{Type}/{Crypto}";
}
