using System.Net;
using System.Security.Authentication;
using System.Text;
using Lockstep.Connections.Tests.Support;
using Lockstep.Connections.Tls;
using Xunit.Abstractions;

namespace Lockstep.Connections.Tests.Tls;

/// <summary>Two real peers on loopback complete Syncthing's TLS setup (bep-v1.md §1.2) in either direction.</summary>
public sealed class HandshakeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("A dials B")]
    [InlineData("B dials A")]
    public async Task Mutual_handshake_negotiates_tls13_and_bep_and_identifies_both_peers(string direction)
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Trust(b);
        b.Trust(a);
        var (dialer, listener) = direction == "A dials B" ? (a, b) : (b, a);
        await listener.ListenAsync();

        var dial = dialer.Dialer.ConnectAsync(listener.Id, listener.Address);
        await using var incoming = await listener.AcceptAsync();
        await using var outgoing = await dial;

        Assert.Equal(listener.Id, outgoing.RemoteId);
        Assert.Equal(dialer.Id, incoming.RemoteId);
        Assert.Equal(listener.Certificate.RawData, outgoing.RemoteCertificate.RawData);
        Assert.Equal(dialer.Certificate.RawData, incoming.RemoteCertificate.RawData);
        foreach (var c in new[] { incoming, outgoing })
        {
            Assert.Equal("bep/1.0", c.ApplicationProtocol);
            Assert.Equal(SslProtocols.Tls13, c.Stream.SslProtocol);
            Assert.StartsWith("TLS1.3-TLS_", c.Crypto);
            Assert.Equal($"TLS1.3-{c.Stream.NegotiatedCipherSuite}", c.Crypto);
            Assert.InRange(c.HandshakeDuration, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.InRange(c.StartedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        }
        Assert.Equal(ConnectionDirection.Outgoing, outgoing.Direction);
        Assert.Equal("tcp-client", outgoing.Type);
        Assert.Equal(ConnectionDirection.Incoming, incoming.Direction);
        Assert.Equal("tcp-server", incoming.Type);
        Assert.Equal(outgoing.LocalEndPoint, incoming.RemoteEndPoint);
        Assert.Equal(incoming.LocalEndPoint, outgoing.RemoteEndPoint);

        // The streams carry data both ways.
        await outgoing.Stream.WriteAsync(Encoding.ASCII.GetBytes("ping"));
        await outgoing.Stream.FlushAsync();
        Assert.Equal("ping", await ReadAsciiAsync(incoming, 4));
        await incoming.Stream.WriteAsync(Encoding.ASCII.GetBytes("pong"));
        await incoming.Stream.FlushAsync();
        Assert.Equal("pong", await ReadAsciiAsync(outgoing, 4));

        output.WriteLine($"{direction}: client handshake {outgoing.HandshakeDuration.TotalMilliseconds:F1} ms, " +
                         $"server handshake {incoming.HandshakeDuration.TotalMilliseconds:F1} ms, {outgoing.Crypto}");
    }

    [Fact]
    public async Task Listener_bound_to_port_zero_reports_the_real_port()
    {
        await using var a = TestPeer.Create();
        await a.ListenAsync("tcp://127.0.0.1:0");
        Assert.NotEqual(0, a.Listener!.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Loopback, a.Listener.LocalEndPoint.Address);
        Assert.Equal($"tcp://127.0.0.1:{a.Listener.LocalEndPoint.Port}", a.Address);
    }

    [Fact]
    public async Task Dual_stack_listener_accepts_ipv4_and_reports_the_peer_as_ipv4()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Trust(b);
        b.Trust(a);
        await a.ListenAsync("tcp://:0");
        var dial = b.Dialer.ConnectAsync(a.Id, $"tcp4://127.0.0.1:{a.Listener!.LocalEndPoint.Port}");
        await using var incoming = await a.AcceptAsync();
        await using var outgoing = await dial;
        Assert.Equal(b.Id, incoming.RemoteId);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)incoming.RemoteEndPoint).Address);
    }

    [Fact]
    public async Task Many_handshakes_in_a_row_report_their_timings()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Trust(b);
        b.Trust(a);
        await a.ListenAsync();
        var client = new List<double>();
        var server = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var dial = b.Dialer.ConnectAsync(a.Id, a.Address);
            await using var incoming = await a.AcceptAsync();
            await using var outgoing = await dial;
            client.Add(outgoing.HandshakeDuration.TotalMilliseconds);
            server.Add(incoming.HandshakeDuration.TotalMilliseconds);
        }
        output.WriteLine($"20 handshakes: client median {Median(client):F2} ms (first {client[0]:F1} ms), " +
                         $"server median {Median(server):F2} ms (first {server[0]:F1} ms)");
        Assert.All(client, ms => Assert.InRange(ms, 0, 10_000));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<string> ReadAsciiAsync(SecureConnection connection, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection.Stream.ReadExactlyAsync(buffer, cts.Token);
        return Encoding.ASCII.GetString(buffer);
    }
}
