using System.Net.Sockets;

namespace Lockstep.Testing;

/// <summary>
/// One connection through <see cref="FaultProxy"/>: the client's socket, the target's once connected, and the token
/// that stops both pumps. Abort (a reset on both sockets) and the attach of the target socket are serialised, so a
/// cut that races a connect never leaves a socket open.
/// </summary>
internal sealed class ProxyLink
{
    private readonly CancellationTokenSource _cancel;
    private readonly Lock _lock = new();
    private Socket? _target;
    private bool _aborted, _closed;

    public ProxyLink(Socket client, CancellationToken proxyStopping)
    {
        Client = client;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(proxyStopping);
    }

    public Socket Client { get; }

    /// <summary>Cancelled when the link is aborted or the proxy stops.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The task forwarding this link (set by the accept loop right after the link is registered).</summary>
    public Task? Run { get; set; }

    public bool IsAborted
    {
        get
        {
            lock (_lock)
                return _aborted;
        }
    }

    /// <summary>Hands over the connected target socket; false (and the socket closed) when the link was aborted meanwhile.</summary>
    public bool Attach(Socket target)
    {
        lock (_lock)
        {
            if (_aborted || _closed)
            {
                target.Dispose();
                return false;
            }
            _target = target;
            return true;
        }
    }

    /// <summary>Resets both sides (linger 0 makes close send RST); true when this call did it.</summary>
    public bool Abort()
    {
        lock (_lock)
        {
            if (_aborted || _closed)
                return false;
            _aborted = true;
            _cancel.Cancel();
            Reset(Client);
            if (_target is not null)
                Reset(_target);
            return true;
        }
    }

    /// <summary>Closes both sockets after the pumps ended (gracefully unless aborted) and releases the token.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            Client.Dispose();
            _target?.Dispose();
            _cancel.Dispose();
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }
}
