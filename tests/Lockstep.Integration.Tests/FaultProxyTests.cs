using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// The fault proxy itself, against a plain echo server: the node tests trust it to forward faithfully and to
/// fail exactly as asked, so a proxy bug must show here and not as a puzzling sync failure.
/// </summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly List<Task> _echoes = new();
    private Task _acceptLoop = Task.CompletedTask;
    private FaultProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _echo.Start();
        _acceptLoop = Task.Run(EchoAcceptLoopAsync);
        _proxy = new FaultProxy((IPEndPoint)_echo.LocalEndpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _echo.Stop();
        await _acceptLoop;
        await Task.WhenAll(_echoes).WaitAsync(Patience);
    }

    private async Task EchoAcceptLoopAsync()
    {
        while (true)
        {
            Socket s;
            try
            {
                s = await _echo.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_echoes)
                _echoes.Add(Task.Run(() => EchoAsync(s)));
        }
    }

    /// <summary>Echoes until end of stream, then closes its side (so a half-close travels back).</summary>
    private static async Task EchoAsync(Socket s)
    {
        using (s)
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer)) > 0)
                    await s.SendAsync(buffer.AsMemory(0, n));
                s.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await s.ConnectAsync(_proxy.EndPoint);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>A new connection that the proxy resets: on loopback the reset can already fail the connect, or else the first read.</summary>
    private async Task AssertNewConnectionIsResetAsync()
    {
        var e = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var s = await ConnectAsync();
            await s.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Patience);
        });
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
    }

    private static async Task<string> ReadExactlyAsync(Socket s, int count)
    {
        var buffer = new byte[count];
        for (int read = 0; read < count;)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Patience);
            if (n == 0)
                throw new EndOfStreamException($"closed after {read} of {count} bytes");
            read += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }

    [Fact]
    public async Task Forwards_both_ways_counts_and_passes_a_half_close_on()
    {
        using var s = await ConnectAsync();
        await s.SendAsync(Encoding.ASCII.GetBytes("hello"));
        Assert.Equal("hello", await ReadExactlyAsync(s, 5));
        s.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await s.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Patience)); // the echo's close came back
        await Eventually.TrueAsync(() => _proxy.Active == 0, Patience, "the link to end");
        Assert.Equal((1, 1, 0, 5, 5), (_proxy.Accepted, _proxy.Forwarded, _proxy.Rejected, _proxy.BytesToTarget, _proxy.BytesToClient));
    }

    [Fact]
    public async Task Cut_resets_live_connections_and_new_ones_still_work()
    {
        using var s = await ConnectAsync();
        await s.SendAsync(Encoding.ASCII.GetBytes("x"));
        Assert.Equal("x", await ReadExactlyAsync(s, 1));
        Assert.Equal(1, _proxy.Cut());
        var e = await Assert.ThrowsAsync<SocketException>(() => s.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Patience));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        await Eventually.TrueAsync(() => _proxy.Active == 0, Patience, "the cut link to end");

        using var again = await ConnectAsync();
        await again.SendAsync(Encoding.ASCII.GetBytes("y"));
        Assert.Equal("y", await ReadExactlyAsync(again, 1));
        Assert.Equal(2, _proxy.Forwarded);
    }

    [Fact]
    public async Task A_partition_resets_new_connections_and_holds_bytes_until_the_heal()
    {
        using var live = await ConnectAsync();
        await live.SendAsync(Encoding.ASCII.GetBytes("a"));
        Assert.Equal("a", await ReadExactlyAsync(live, 1));
        await Eventually.TrueAsync(() => _proxy.BytesToTarget == 1 && _proxy.BytesToClient == 1, Patience, "the counters to settle");
        _proxy.Partition(true);

        await AssertNewConnectionIsResetAsync();
        Assert.Equal(1, _proxy.Rejected);

        await live.SendAsync(Encoding.ASCII.GetBytes("b")); // stalls inside the proxy, as a lost segment would
        var pending = ReadExactlyAsync(live, 1);
        Assert.Equal(1, _proxy.BytesToTarget);
        _proxy.Partition(false);
        Assert.Equal("b", await pending); // delivered after the heal, on the same connection
        Assert.Equal(1, _proxy.Forwarded);
    }

    [Fact]
    public async Task Hold_mode_forwards_a_connection_made_during_the_partition_once_healed()
    {
        _proxy.WhilePartitioned = PartitionBehavior.Hold;
        _proxy.Partition(true);
        using var s = await ConnectAsync();
        await s.SendAsync(Encoding.ASCII.GetBytes("held"));
        var echoed = ReadExactlyAsync(s, 4);
        await Eventually.TrueAsync(() => _proxy.Accepted == 1, Patience, "the proxy to accept");
        Assert.Equal(0, _proxy.Forwarded);
        _proxy.Partition(false);
        Assert.Equal("held", await echoed);
        Assert.Equal(1, _proxy.Forwarded);
    }

    [Fact]
    public async Task Delay_adds_latency_per_direction()
    {
        _proxy.DelayToTarget = TimeSpan.FromMilliseconds(150);
        _proxy.DelayToClient = TimeSpan.FromMilliseconds(100);
        using var s = await ConnectAsync();
        var sw = Stopwatch.StartNew();
        await s.SendAsync(Encoding.ASCII.GetBytes("ping"));
        Assert.Equal("ping", await ReadExactlyAsync(s, 4));
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(240), $"round trip {sw.Elapsed.TotalMilliseconds} ms"); // timer granularity
    }

    [Fact]
    public async Task Dispose_ends_held_and_live_links_without_waiting_for_the_peers()
    {
        using var live = await ConnectAsync();
        await live.SendAsync(Encoding.ASCII.GetBytes("z"));
        Assert.Equal("z", await ReadExactlyAsync(live, 1));
        _proxy.WhilePartitioned = PartitionBehavior.Hold;
        _proxy.Partition(true);
        using var held = await ConnectAsync();
        await Eventually.TrueAsync(() => _proxy.Active == 2, Patience, "both links open");
        await _proxy.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(0, _proxy.Active);
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(SocketError.ConnectionRefused, Assert.Throws<SocketException>(() => late.Connect(_proxy.EndPoint)).SocketErrorCode);
    }
}
