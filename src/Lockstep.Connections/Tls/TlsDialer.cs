using System.Net;
using System.Net.Sockets;
using Lockstep.Connections.Addressing;
using Lockstep.Connections.Dialing;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Logging;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lockstep.Connections.Tls;

/// <summary>
/// Dials one device at one address: TCP connect (each resolved address in turn, bounded by the connect timeout),
/// the TLS client handshake (bounded by the handshake timeout), then the device-ID checks with the device we meant
/// to reach. Every failure is a <see cref="ConnectionException"/> whose <see cref="ConnectionException.Error"/> says which.
/// </summary>
public sealed class TlsDialer : IPeerDialer
{
    private readonly TlsOptions _options;
    private readonly PeerAuthenticator _authenticator;
    private readonly ILogger _logger;

    public TlsDialer(TlsOptions options, PeerAuthenticator authenticator, ILogger? logger = null)
    {
        _options = options;
        _authenticator = authenticator;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Dials <paramref name="address"/> (<c>tcp://HOST:PORT</c>, <c>tcp4://</c>, <c>tcp6://</c>) expecting <paramref name="expected"/>.</summary>
    public Task<SecureConnection> ConnectAsync(DeviceId expected, string address, CancellationToken cancellationToken = default) =>
        BepAddress.TryParse(address, out var parsed, out var error)
            ? ConnectAsync(expected, parsed, cancellationToken)
            : Task.FromException<SecureConnection>(ConnectionErrors.InvalidAddress(address, error));

    public async Task<SecureConnection> ConnectAsync(DeviceId expected, BepAddress address, CancellationToken cancellationToken = default)
    {
        if (address.Host.Length == 0)
            throw ConnectionErrors.InvalidAddress(address.ToString(), "it names no host; an empty host only means \"every interface\" when listening");
        if (address.Port == 0)
            throw ConnectionErrors.InvalidAddress(address.ToString(), "port 0 cannot be dialed");
        var addresses = await AddressResolver.ResolveAsync(address, cancellationToken);
        var socket = await ConnectTcpAsync(address, addresses, cancellationToken);
        var result = await TlsHandshake.RunAsync(socket, _options, _authenticator, ConnectionDirection.Outgoing,
            expected, cancellationToken);
        if (result.Connection is { } connection)
        {
            ConnectionsLog.Established(_logger, connection.RemoteId.ToString(), connection.ToString(),
                connection.HandshakeDuration.TotalMilliseconds);
            return connection;
        }
        if (result.OpenStream is { } open)
            await open.DisposeAsync();
        throw ConnectionErrors.NotAccepted(address, result.Verdict);
    }

    private async Task<Socket> ConnectTcpAsync(BepAddress address, IPAddress[] candidates, CancellationToken cancellationToken)
    {
        ConnectionException? last = null;
        foreach (var ip in candidates)
        {
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _options.Clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await socket.ConnectAsync(ip, address.Port, linked.Token);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                return socket;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = ConnectionErrors.ConnectTimedOut(address, _options.ConnectTimeout);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = ConnectionErrors.ConnectFailed(address, ip, e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
