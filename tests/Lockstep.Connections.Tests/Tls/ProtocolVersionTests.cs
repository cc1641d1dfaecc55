using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tests.Tls;

/// <summary>TLS 1.3 only, both as server and as client; ALPN offered, but its absence tolerated as Syncthing does.</summary>
public sealed class ProtocolVersionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

#pragma warning disable SYSLIB0039 // TLS 1.2 is the point of these tests
    [Fact]
    public async Task Listener_refuses_a_tls12_only_client()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Trust(b);
        await a.ListenAsync();
        var options = RawClient.Options(SslStreamCertificateContext.Create(b.Certificate, null, offline: true));
        options.EnabledSslProtocols = SslProtocols.Tls12;

        await Assert.ThrowsAnyAsync<Exception>(() => RawClient.ConnectTlsAsync(a.Address, options));

        var refused = await a.RefusalAsync(_ => true);
        Assert.Equal(ConnectionError.HandshakeFailed, refused.Error);
    }

    [Fact]
    public async Task Dialer_refuses_a_tls12_only_server()
    {
        await using var a = TestPeer.Create();
        var server = DeviceCertificate.Generate();
        a.Trust(DeviceCertificate.IdOf(server));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = server,
                    EnabledSslProtocols = SslProtocols.Tls12,
                });
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
            }
        });

        var e = await Assert.ThrowsAsync<ConnectionException>(() =>
            a.Dialer.ConnectAsync(DeviceCertificate.IdOf(server), $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
        Assert.Equal(ConnectionError.HandshakeFailed, e.Error);
        await serve.WaitAsync(Wait);
    }
#pragma warning restore SYSLIB0039

    [Fact]
    public async Task A_client_that_offers_no_alpn_is_accepted_with_no_protocol_as_syncthing_does()
    {
        await using var a = TestPeer.Create();
        await using var b = TestPeer.Create();
        a.Trust(b);
        await a.ListenAsync();
        var options = RawClient.Options(SslStreamCertificateContext.Create(b.Certificate, null, offline: true));
        options.ApplicationProtocols = null;

        await using var client = await RawClient.ConnectTlsAsync(a.Address, options);
        await using var accepted = await a.AcceptAsync(Wait);

        Assert.Equal(b.Id, accepted.RemoteId);
        Assert.Null(accepted.ApplicationProtocol);
    }
}
