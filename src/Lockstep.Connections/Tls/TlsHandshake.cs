using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lockstep.Connections.Addressing;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tls;

/// <summary>The TLS handshake and the device-ID checks after it, shared by the listener (server) and the dialer (client).</summary>
internal static class TlsHandshake
{
    /// <summary>
    /// Runs the handshake on a connected socket, bounded by <see cref="TlsOptions.HandshakeTimeout"/>, then asks the
    /// authenticator. Never throws for anything the peer does; throws only when <paramref name="cancellationToken"/> fires.
    /// On failure the socket is closed, except when a readable peer was refused (see <see cref="HandshakeResult"/>).
    /// </summary>
    public static async Task<HandshakeResult> RunAsync(Socket socket, TlsOptions options, PeerAuthenticator authenticator,
        ConnectionDirection direction, DeviceId? dialed, CancellationToken cancellationToken = default)
    {
        var clock = options.Clock;
        var began = clock.GetTimestamp();
        System.Net.EndPoint remote, local;
        try
        {
            // A peer (or a middlebox) that resets the connection right after it was accepted makes these throw.
            remote = AddressResolver.Normalize(socket.RemoteEndPoint);
            local = AddressResolver.Normalize(socket.LocalEndPoint);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return new HandshakeResult(null, PeerVerdict.Refuse(ConnectionError.HandshakeFailed, null, ConnectionErrors.HandshakeFailed(e)), null);
        }
        var presented = new PresentedCertificates();
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using (var timeout = new CancellationTokenSource(options.HandshakeTimeout, clock))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                if (direction == ConnectionDirection.Incoming)
                    await stream.AuthenticateAsServerAsync(options.ForServer(presented), linked.Token);
                else
                    await stream.AuthenticateAsClientAsync(options.ForClient(presented), linked.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or Win32Exception
                                           or OperationCanceledException or ObjectDisposedException)
            {
                await stream.DisposeAsync();
                cancellationToken.ThrowIfCancellationRequested();
                var verdict = timeout.IsCancellationRequested
                    ? PeerVerdict.Refuse(ConnectionError.HandshakeTimedOut, null, ConnectionErrors.HandshakeTimedOut(options.HandshakeTimeout))
                    : presented.WasMissing
                        ? PeerVerdict.Refuse(ConnectionError.NoCertificate, null, ConnectionErrors.NoCertificate())
                        : PeerVerdict.Refuse(ConnectionError.HandshakeFailed, null, ConnectionErrors.HandshakeFailed(e));
                return new HandshakeResult(null, verdict, null);
            }
        }

        var elapsed = clock.GetElapsedTime(began);
        var outcome = authenticator.Authenticate(presented.Certificates, remote, dialed);
        if (!outcome.IsAccepted)
            return new HandshakeResult(null, outcome, stream);
        var connection = new SecureConnection(stream, outcome.DeviceId!.Value, presented.Certificates[0], remote, local,
            direction, clock.GetUtcNow(), elapsed);
        return new HandshakeResult(connection, outcome, null);
    }
}
