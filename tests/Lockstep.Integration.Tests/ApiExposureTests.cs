using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>How the API is exposed: a UNIX socket only its user can use, HTTPS with the node's certificate, and no CORS unless configured.</summary>
public sealed class ApiExposureTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private readonly TempDirectory _dir = new("api-exposure");
    private string Socket => _dir.Combine("api.sock");
    private string Key => Lockstep.Node.Config.ConfigFile.Load(_node.Home.ConfigPath).Api.Key;

    public Task InitializeAsync()
    {
        _node = TestNode.Create("exposed");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient UnixClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        return http;
    }

    /// <summary>HTTPS that trusts exactly the node's own certificate (its device ID), as the CLI does.</summary>
    private HttpClient HttpsClient(DeviceId expected)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && DeviceCertificate.IdOf(cert) == expected,
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"https://{_node.Host.Api!.Address}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        return http;
    }

    [Fact]
    public async Task A_unix_socket_with_mode_0600_and_https_with_the_node_certificate_serve_the_api_and_cors_admits_only_configured_origins()
    {
        _node.Configure(c => c with { Api = c.Api with { UnixSocket = Socket, Tls = true, CorsOrigins = ["https://dash.example"] } });
        await _node.StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Socket));
        using (var unix = UnixClient())
        {
            var status = await unix.GetFromJsonAsync<JsonElement>("rest/system/status");
            Assert.Equal(_node.Id.ToString(), status.GetProperty("myID").GetString());
            // Syncthing's gui section tells a tool how the API is exposed.
            var gui = (await unix.GetFromJsonAsync<JsonElement>("rest/config")).GetProperty("gui");
            Assert.True(gui.GetProperty("useTLS").GetBoolean());
            Assert.Equal("0600", gui.GetProperty("unixSocketPermissions").GetString());
        }

        using (var https = HttpsClient(_node.Id))
            Assert.Equal(_node.Id.ToString(), (await https.GetFromJsonAsync<JsonElement>("rest/system/status")).GetProperty("myID").GetString());
        using (var plain = new HttpClient { BaseAddress = new Uri($"http://{_node.Host.Api!.Address}/"), Timeout = TimeSpan.FromSeconds(10) })
            await Assert.ThrowsAnyAsync<Exception>(() => plain.GetStringAsync("rest/noauth/health")); // TLS only on that port
        var runtime = JsonDocument.Parse(File.ReadAllText(_node.Home.RuntimePath)).RootElement;
        Assert.StartsWith("https://", runtime.GetProperty("apiAddress").GetString());

        using (var https = HttpsClient(_node.Id))
        {
            var allowed = new HttpRequestMessage(HttpMethod.Get, "rest/system/ping");
            allowed.Headers.Add("Origin", "https://dash.example");
            var answer = await https.SendAsync(allowed);
            Assert.Equal("https://dash.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var other = new HttpRequestMessage(HttpMethod.Get, "rest/system/ping");
            other.Headers.Add("Origin", "https://evil.example");
            Assert.False((await https.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
        }

        await _node.StopAsync();
        Assert.False(File.Exists(Socket), "the socket file outlived the node");
    }

    [Fact]
    public async Task Cross_origin_requests_get_no_cors_headers_by_default()
    {
        await _node.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_node.Host.Api!.Address}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        var request = new HttpRequestMessage(HttpMethod.Get, "rest/system/ping");
        request.Headers.Add("Origin", "https://dash.example");
        var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        var preflight = new HttpRequestMessage(HttpMethod.Options, "rest/system/ping");
        preflight.Headers.Add("Origin", "https://dash.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var pre = await http.SendAsync(preflight);
        Assert.False(pre.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(HttpStatusCode.NoContent, pre.StatusCode);
        Assert.DoesNotContain(answer.Headers, h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)); // no cookie to ride
    }
}
