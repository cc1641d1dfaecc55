using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Lockstep.Connections.Addressing;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Logging;
using Lockstep.Connections.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lockstep.Connections.Tls;

/// <summary>
/// Accepts BEP connections on one <c>tcp://HOST:PORT</c>. Each TCP connection gets its own TLS handshake task with the
/// handshake timeout, so a silent or garbage-sending client delays nobody else. Authenticated peers come out of
/// <see cref="AcceptAsync"/>; everything else is logged, handed to <see cref="OnRefused"/>, and closed. Nothing a peer
/// does can stop the accept loop.
/// </summary>
public sealed class TlsListener : IAsyncDisposable
{
    // Authenticated connections nobody has taken yet; handshakes wait when it is full, so a stalled consumer
    // pushes back on the accept side instead of piling up connections.
    private const int AcceptedQueueLength = 16;
    private const int Backlog = 128;

    private readonly TlsOptions _options;
    private readonly PeerAuthenticator _authenticator;
    private readonly ILogger _logger;
    private readonly Channel<SecureConnection> _accepted = Channel.CreateBounded<SecureConnection>(AcceptedQueueLength);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _handshakes = new();
    private long _handshakeCount;
    private Socket? _socket;
    private IPEndPoint? _localEndPoint;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    public TlsListener(TlsOptions options, PeerAuthenticator authenticator, ILogger? logger = null)
    {
        _options = options;
        _authenticator = authenticator;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Called for each refused connection before it is closed; see <see cref="RefusedConnection.Stream"/>. Runs on the
    /// connection's own task; an exception is logged and the connection closed.
    /// </summary>
    public Func<RefusedConnection, CancellationToken, ValueTask>? OnRefused { get; init; }

    /// <summary>The endpoint actually bound (the real port when the address asked for port 0).</summary>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw NotStarted();

    /// <summary>The bound endpoint as an address peers can be given (for 0.0.0.0 or [::], substitute a real host).</summary>
    public BepAddress Address => BepAddress.FromEndPoint(LocalEndPoint);

    /// <summary>Binds <paramref name="address"/> (<c>tcp://HOST:PORT</c>, port 0 allowed) and starts accepting.</summary>
    public async Task StartAsync(string address, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_socket is not null)
            throw new InvalidOperationException("the listener is already started");
        if (!BepAddress.TryParse(address, out var parsed, out var error))
            throw ConnectionErrors.InvalidListenAddress(address, error);
        var endPoint = await AddressResolver.ResolveListenAsync(parsed, cancellationToken);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = parsed.Scheme == AddressScheme.Tcp && endPoint.Address.Equals(IPAddress.IPv6Any);
            socket.Bind(endPoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw ConnectionErrors.ListenFailed(parsed, e);
        }
        _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _socket = socket;
        ConnectionsLog.Listening(_logger, Address.ToString());
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <summary>The next authenticated connection. Throws <see cref="ObjectDisposedException"/> once the listener is stopped.</summary>
    public async ValueTask<SecureConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (_socket is null)
            throw NotStarted();
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(TlsListener), "the listener was stopped");
        }
    }

    /// <summary>Stops accepting, aborts handshakes in progress and closes connections nobody accepted yet.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync();
        _socket?.Dispose();
        await _acceptLoop;
        // The loop has ended, so no handshake can be added after this snapshot.
        await Task.WhenAll(_handshakes.Values);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var unclaimed))
            await unclaimed.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await _socket!.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException
                                      && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: say so and pause, so a lasting error cannot spin the loop.
                ConnectionsLog.AcceptFailed(_logger, Address.ToString(), e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _options.Clock, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            var id = Interlocked.Increment(ref _handshakeCount);
            var handshake = Task.Run(() => HandleAsync(peer), CancellationToken.None);
            _handshakes[id] = handshake;
            _ = handshake.ContinueWith(_ => _handshakes.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        var remote = AddressResolver.Normalize(socket.RemoteEndPoint);
        var stopping = _stopping.Token;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            var result = await TlsHandshake.RunAsync(socket, _options, _authenticator, ConnectionDirection.Incoming,
                dialed: null, stopping);
            if (result.Connection is { } connection)
            {
                if (connection.ApplicationProtocol != TlsOptions.BepProtocolName)
                    ConnectionsLog.NoAlpn(_logger, connection.RemoteId.ToString(), remote.ToString()!);
                ConnectionsLog.Established(_logger, connection.RemoteId.ToString(), connection.ToString(),
                    connection.HandshakeDuration.TotalMilliseconds);
                try
                {
                    await _accepted.Writer.WriteAsync(connection, stopping);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    await connection.DisposeAsync();
                }
                return;
            }
            await RefuseAsync(remote, result, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            socket.Dispose();
        }
        catch (Exception e)
        {
            // Whatever went wrong belongs to this one connection; the listener carries on.
            ConnectionsLog.HandlerCrashed(_logger, remote.ToString()!, e);
            socket.Dispose();
        }
    }

    private async Task RefuseAsync(EndPoint remote, HandshakeResult result, CancellationToken stopping)
    {
        var verdict = result.Verdict;
        if (verdict.DeviceId is { } id)
            ConnectionsLog.Refused(_logger, remote.ToString()!, id.ToString(), verdict.Message);
        else
            ConnectionsLog.HandshakeFailed(_logger, remote.ToString()!, verdict.Message);
        try
        {
            if (OnRefused is { } callback)
                await callback(new RefusedConnection(remote, verdict.Error!.Value, verdict.Message, verdict.DeviceId,
                    result.OpenStream, _options.Clock.GetUtcNow()), stopping);
        }
        finally
        {
            if (result.OpenStream is { } open)
                await open.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("the listener has not been started; call StartAsync first");
}
