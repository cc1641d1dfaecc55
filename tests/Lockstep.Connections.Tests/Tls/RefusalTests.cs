using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;

namespace Lockstep.Connections.Tests.Tls;

/// <summary>The device-ID checks after the handshake (bep-v1.md §1.2), exercised over real TLS sockets.</summary>
public sealed class RefusalTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Unknown_device_is_refused_and_recorded_as_pending_with_its_address()
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var a = TestPeer.Create(clock: clock);
        await using var stranger = TestPeer.Create();
        await using var friend = TestPeer.Create();
        a.Trust(friend);
        stranger.Trust(a);
        friend.Trust(a);
        var changes = new List<PendingDeviceChange>();
        a.Pending.Changed += (_, change) => { lock (changes) changes.Add(change); };
        // The refused stream is still open in the callback: the Hello layer will send Syncthing's courtesy Hello here.
        a.OnRefused = async (refused, ct) =>
        {
            if (refused.Stream is { } open)
            {
                await open.WriteAsync(Encoding.ASCII.GetBytes("bye"), ct);
                await open.FlushAsync(ct);
            }
        };
        await a.ListenAsync();

        await using (var fromStranger = await stranger.Dialer.ConnectAsync(a.Id, a.Address))
        {
            var refused = await a.RefusalAsync(r => r.DeviceId == stranger.Id);
            Assert.Equal(ConnectionError.UnknownDevice, refused.Error);
            Assert.Contains(stranger.Id.ToString(), refused.Message);
            Assert.Equal(fromStranger.LocalEndPoint, refused.RemoteEndPoint);

            var buffer = new byte[3];
            await fromStranger.Stream.ReadExactlyAsync(buffer, new CancellationTokenSource(Wait).Token);
            Assert.Equal("bye", Encoding.ASCII.GetString(buffer));
            Assert.True(await RawClient.PeerClosesAsync(fromStranger.Stream, Wait), "the listener closes a refused connection");

            var pending = Assert.Single(a.Pending.Snapshot());
            Assert.Equal(stranger.Id, pending.DeviceId);
            Assert.Equal(fromStranger.LocalEndPoint.ToString(), pending.Address);
            Assert.Equal(clock.Now, pending.FirstSeen);
            Assert.Equal(clock.Now, pending.LastSeen);
            Assert.Equal(1, pending.Count);
        }

        // It tries again later, from another port: same entry, counted, last-seen and address updated.
        var first = clock.Now;
        clock.Advance(TimeSpan.FromMinutes(5));
        await using (var again = await stranger.Dialer.ConnectAsync(a.Id, a.Address))
        {
            await Eventually.TrueAsync(() => a.Pending.Find(stranger.Id)?.Count == 2, Wait, "the second attempt to be counted");
            var pending = a.Pending.Find(stranger.Id)!;
            Assert.Equal(first, pending.FirstSeen);
            Assert.Equal(clock.Now, pending.LastSeen);
            Assert.Equal(again.LocalEndPoint.ToString(), pending.Address);
        }
        lock (changes)
            Assert.Equal([PendingChangeKind.Added, PendingChangeKind.Updated], changes.Select(c => c.Kind));

        // Refused connections were never offered to AcceptAsync: the next accepted one is the friend's.
        var dial = friend.Dialer.ConnectAsync(a.Id, a.Address);
        await using var accepted = await a.AcceptAsync();
        await using var _ = await dial;
        Assert.Equal(friend.Id, accepted.RemoteId);
    }

    [Fact]
    public async Task Ignored_device_is_refused_without_being_recorded()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Ignore(b.Id);
        b.Trust(a);
        await a.ListenAsync();
        await using var _ = await b.Dialer.ConnectAsync(a.Id, a.Address);
        var refused = await a.RefusalAsync(r => r.DeviceId == b.Id);
        Assert.Equal(ConnectionError.IgnoredDevice, refused.Error);
        Assert.Empty(a.Pending.Snapshot());
    }

    [Fact]
    public async Task Peer_without_a_client_certificate_is_refused()
    {
        await using var a = TestPeer.Create();
        await a.ListenAsync();

        // TLS 1.3 lets the client finish before the server has checked its certificate, so the client may or may
        // not see the failure during its own handshake; either way the server refuses and closes.
        try
        {
            await using var anonymous = await RawClient.ConnectTlsAsync(a.Address, clientCertificate: null);
            Assert.True(await RawClient.PeerClosesAsync(anonymous, Wait), "the listener closes the connection");
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
        }

        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.NoCertificate, refused.Error);
        Assert.Null(refused.DeviceId);
        Assert.Null(refused.Stream);
        Assert.Empty(a.Pending.Snapshot());
    }

    [Fact]
    public async Task Peer_presenting_a_chain_instead_of_one_certificate_is_refused()
    {
        await using var a = TestPeer.Create();
        await a.ListenAsync();
        var (leaf, intermediate) = LeafWithIntermediate();
        var context = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true);

        try
        {
            await using var chained = await RawClient.ConnectTlsAsync(a.Address, context);
            Assert.True(await RawClient.PeerClosesAsync(chained, Wait));
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
        }

        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.CertificateCount, refused.Error);
        Assert.Contains("!= 1", refused.Message);
        Assert.Empty(a.Pending.Snapshot());
    }

    [Fact]
    public async Task Dialing_with_a_wrong_expected_id_is_refused_naming_both_ids()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        var expected = DeviceCertificate.IdOf(DeviceCertificate.Generate());
        a.Trust(b).Trust(expected);
        b.Trust(a);
        await b.ListenAsync();

        var e = await Assert.ThrowsAsync<ConnectionException>(() => a.Dialer.ConnectAsync(expected, b.Address));
        Assert.Equal(ConnectionError.UnexpectedDevice, e.Error);
        Assert.Equal(b.Id, e.DeviceId);
        Assert.Contains(expected.ToString(), e.Message);
        Assert.Contains(b.Id.ToString(), e.Message);
        Assert.Empty(a.Pending.Snapshot());
    }

    [Fact]
    public async Task Connecting_to_ourselves_is_refused_on_both_ends()
    {
        await using var a = TestPeer.Create();
        a.Trust(a.Id);
        await a.ListenAsync();

        var e = await Assert.ThrowsAsync<ConnectionException>(() => a.Dialer.ConnectAsync(a.Id, a.Address));
        Assert.Equal(ConnectionError.ConnectedToSelf, e.Error);
        Assert.Equal(a.Id, e.DeviceId);

        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.ConnectedToSelf, refused.Error);
        Assert.Empty(a.Pending.Snapshot());
    }

    [Fact]
    public async Task Dialing_a_closed_port_fails_with_connect_failed()
    {
        await using var a = TestPeer.Create();
        using var refusing = Ports.Refusing();
        var e = await Assert.ThrowsAsync<ConnectionException>(() =>
            a.Dialer.ConnectAsync(a.Id, $"tcp://127.0.0.1:{Ports.PortOf(refusing)}"));
        Assert.Equal(ConnectionError.ConnectFailed, e.Error);
        Assert.Contains($"127.0.0.1:{Ports.PortOf(refusing)}", e.Message);
    }

    [Theory]
    [InlineData("dynamic", "discovery")]
    [InlineData("quic://127.0.0.1:22000", "not supported")]
    [InlineData("tcp://:22000", "no host")]
    [InlineData("tcp://127.0.0.1:0", "port 0")]
    public async Task Undialable_addresses_fail_with_invalid_address(string address, string says)
    {
        await using var a = TestPeer.Create();
        var e = await Assert.ThrowsAsync<ConnectionException>(() => a.Dialer.ConnectAsync(a.Id, address));
        Assert.Equal(ConnectionError.InvalidAddress, e.Error);
        Assert.Contains(says, e.Message);
    }

    private static (X509Certificate2 Leaf, X509Certificate2 Intermediate) LeafWithIntermediate()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var midKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var midRequest = new CertificateRequest("CN=intermediate", midKey, HashAlgorithmName.SHA256);
        midRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var intermediate = midRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3]);
        using var intermediateWithKey = intermediate.CopyWithPrivateKey(midKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=syncthing", leafKey, HashAlgorithmName.SHA256);
        var leaf = leafRequest.Create(intermediateWithKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(28), [4, 5, 6]);
        return (leaf.CopyWithPrivateKey(leafKey), intermediate);
    }
}
