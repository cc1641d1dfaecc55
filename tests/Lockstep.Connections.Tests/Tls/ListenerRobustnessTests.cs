using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;

namespace Lockstep.Connections.Tests.Tls;

/// <summary>Clients that never complete a handshake are dropped, and the listener keeps serving good peers.</summary>
public sealed class ListenerRobustnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Client_sending_garbage_is_dropped_and_a_good_peer_is_accepted_afterwards()
    {
        await using var a = TestPeer.Create();
        await using var good = TestPeer.Create();
        a.Trust(good);
        good.Trust(a);
        await a.ListenAsync();

        using (var garbage = await RawClient.ConnectTcpAsync(a.Address))
        await using (var stream = new NetworkStream(garbage))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            Assert.True(await RawClient.PeerClosesAsync(stream, Wait), "the listener drops a client that does not speak TLS");
        }
        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.HandshakeFailed, refused.Error);
        Assert.Null(refused.DeviceId);

        await AssertAcceptsAsync(a, good);
    }

    [Fact]
    public async Task Client_that_never_handshakes_is_dropped_after_the_timeout_and_a_good_peer_is_accepted_afterwards()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var a = TestPeer.Create(handshakeTimeout: timeout);
        await using var good = TestPeer.Create();
        a.Trust(good);
        good.Trust(a);
        await a.ListenAsync();

        var watch = Stopwatch.StartNew();
        using (var silent = await RawClient.ConnectTcpAsync(a.Address))
        await using (var stream = new NetworkStream(silent))
        {
            Assert.True(await RawClient.PeerClosesAsync(stream, Wait), "the listener drops a silent client");
        }
        var dropped = watch.Elapsed;
        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.HandshakeTimedOut, refused.Error);
        Assert.Contains("0.3 s", refused.Message);
        Assert.True(dropped >= timeout - TimeSpan.FromMilliseconds(50), $"dropped after {dropped.TotalMilliseconds} ms, before the timeout");

        await AssertAcceptsAsync(a, good);
    }

    [Fact]
    public async Task Silent_clients_do_not_hold_up_good_peers()
    {
        // A long handshake timeout: if handshakes were serialised, the good peer would wait 60 s behind the silent ones.
        await using var a = TestPeer.Create(handshakeTimeout: TimeSpan.FromSeconds(60));
        await using var good = TestPeer.Create();
        a.Trust(good);
        good.Trust(a);
        await a.ListenAsync();

        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 5; i++)
                silent.Add(await RawClient.ConnectTcpAsync(a.Address));
            var watch = Stopwatch.StartNew();
            await AssertAcceptsAsync(a, good);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the good peer waited {watch.Elapsed}");
            Assert.Empty(a.Refused);
        }
        finally
        {
            foreach (var s in silent)
                s.Dispose();
        }
    }

    [Fact]
    public async Task Stopping_the_listener_aborts_pending_handshakes_and_ends_accept()
    {
        var a = TestPeer.Create(handshakeTimeout: TimeSpan.FromSeconds(60));
        await a.ListenAsync();
        using var silent = await RawClient.ConnectTcpAsync(a.Address);
        var accept = a.Listener!.AcceptAsync().AsTask();

        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => accept.WaitAsync(Wait));
        await using var stream = new NetworkStream(silent);
        Assert.True(await RawClient.PeerClosesAsync(stream, Wait), "stopping closes connections still in their handshake");
        await Assert.ThrowsAnyAsync<SocketException>(() => RawClient.ConnectTcpAsync(a.Address));
    }

    [Fact]
    public async Task Listening_on_a_port_in_use_fails_with_listen_failed()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        await a.ListenAsync();
        var e = await Assert.ThrowsAsync<ConnectionException>(() => b.ListenAsync(a.Address));
        Assert.Equal(ConnectionError.ListenFailed, e.Error);
    }

    private static async Task AssertAcceptsAsync(TestPeer listener, TestPeer peer)
    {
        var dial = peer.Dialer.ConnectAsync(listener.Id, listener.Address);
        await using var accepted = await listener.AcceptAsync(Wait);
        await using var _ = await dial.WaitAsync(Wait);
        Assert.Equal(peer.Id, accepted.RemoteId);
    }
}
