using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lockstep.Connections.Addressing;

namespace Lockstep.Connections.Tests.Support;

/// <summary>Misbehaving clients built from plain sockets and SslStream, bypassing our dialer.</summary>
internal static class RawClient
{
    public static async Task<Socket> ConnectTcpAsync(string address)
    {
        var parsed = BepAddress.Parse(address);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(parsed.Host), parsed.Port);
        return socket;
    }

    /// <summary>A TLS 1.3 client offering bep/1.0 with the given client certificate context (null: no certificate at all).</summary>
    public static Task<SslStream> ConnectTlsAsync(string address, SslStreamCertificateContext? clientCertificate) =>
        ConnectTlsAsync(address, Options(clientCertificate));

    public static SslClientAuthenticationOptions Options(SslStreamCertificateContext? clientCertificate) => new()
    {
        TargetHost = "syncthing",
        ClientCertificateContext = clientCertificate,
        EnabledSslProtocols = SslProtocols.Tls13,
        ApplicationProtocols = [new SslApplicationProtocol("bep/1.0")],
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    public static async Task<SslStream> ConnectTlsAsync(string address, SslClientAuthenticationOptions options)
    {
        var socket = await ConnectTcpAsync(address);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(options);
        return ssl;
    }

    /// <summary>Reads until the peer closes or <paramref name="timeout"/>; true when the peer closed (EOF or reset).</summary>
    public static async Task<bool> PeerClosesAsync(Stream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
            return true;
        }
    }
}
