using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Config;
using Lockstep.Node.Home;

namespace Lockstep.Cli.Client;

/// <summary>
/// The CLI's way to a running node: its REST API at the address in HOME/runtime.json (or --api /
/// LOCKSTEP_API_ADDRESS) with the key from the home's config (or --api-key / LOCKSTEP_API_KEY).
/// </summary>
internal sealed class NodeClient : IDisposable
{
    private readonly HttpClient _http;

    private NodeClient(string baseAddress, string key, HttpMessageHandler handler)
    {
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.Add("X-API-Key", key);
        Address = baseAddress;
    }

    /// <summary>
    /// How to reach <paramref name="api"/>: <c>unix:/path/api.sock</c> over that UNIX socket; <c>https://</c> trusting
    /// only the certificate of the node in <paramref name="home"/> (an API with api.tls serves the node's own
    /// certificate, so the CLI pins it by device ID); anything else over plain HTTP.
    /// </summary>
    private static (string BaseAddress, HttpMessageHandler Handler) Transport(string api, NodeHome home)
    {
        if (api.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = api["unix:".Length..];
            return ("http://localhost/", new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream,
                        System.Net.Sockets.ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path), ct);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                },
            });
        }
        var baseAddress = (api.Contains("://", StringComparison.Ordinal) ? api : "http://" + api).TrimEnd('/') + "/";
        if (!baseAddress.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return (baseAddress, new SocketsHttpHandler());
        if (!File.Exists(home.CertPath))
            throw new CliException(ExitCodes.Failure, $"the API at {api} uses HTTPS with its node's certificate, and {home.CertPath} is not there to check it against; " +
                                                       "run the command with the node's --home");
        using var own = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(home.CertPath);
        var expected = Lockstep.Protocol.Identity.DeviceCertificate.IdOf(own);
        return (baseAddress, new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is System.Security.Cryptography.X509Certificates.X509Certificate2 c && Lockstep.Protocol.Identity.DeviceCertificate.IdOf(c) == expected,
            },
        });
    }

    public string Address { get; }

    /// <summary>The running node's API, or null when no node runs for the home and no address was given.</summary>
    public static NodeClient? TryConnect(NodeHome home, string? api, string? apiKey)
    {
        api ??= Environment.GetEnvironmentVariable("LOCKSTEP_API_ADDRESS");
        apiKey ??= Environment.GetEnvironmentVariable("LOCKSTEP_API_KEY");
        if (string.IsNullOrEmpty(api))
        {
            if (!File.Exists(home.RuntimePath) || !HomeLock.IsHeld(home))
                return null;
            var runtime = JsonSerializer.Deserialize(File.ReadAllText(home.RuntimePath), RuntimeJsonContext.Default.RuntimeInfo);
            api = runtime?.ApiAddress;
            if (string.IsNullOrEmpty(api))
                throw new CliException(ExitCodes.Failure, $"the node running for {home.Path} has no API address in {home.RuntimePath}; is it still starting?");
        }
        apiKey ??= ConfigFile.Load(home.ConfigPath).Api.Key;
        var (baseAddress, handler) = Transport(api, home);
        return new NodeClient(baseAddress, apiKey, handler);
    }

    /// <summary>The running node's API; exit 1 naming the home and the fix when none runs.</summary>
    public static NodeClient Connect(NodeHome home, string? api, string? apiKey) =>
        TryConnect(home, api, apiKey) ?? throw new CliException(ExitCodes.Failure,
            $"no node is running for {home.Path}: start it with 'lockstep serve --home {home.Path}', or give its API with --api HOST:PORT");

    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, type, cancellationToken);

    public Task<T> PostAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, type, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, path.TrimStart('/')), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Failure, $"cannot reach the node's API at {Address}: {e.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string message;
                try
                {
                    message = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ErrorAnswer, cancellationToken))?.Error ?? "";
                }
                catch (JsonException)
                {
                    message = await response.Content.ReadAsStringAsync(cancellationToken);
                }
                throw new CliException(ExitCodes.Failure, $"the node answered {(int)response.StatusCode}: {message}");
            }
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                   ?? throw new CliException(ExitCodes.Failure, $"the node sent an empty answer to {path}");
        }
    }

    /// <summary>Sends <paramref name="body"/> as JSON; the status code and the answer's text (the error message, for a failure).</summary>
    public async Task<(int Status, string Text)> SendJsonAsync<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> type,
        CancellationToken cancellationToken = default)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = JsonContent.Create(body, type) };
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                try
                {
                    text = JsonSerializer.Deserialize(text, ContractsJsonContext.Default.ErrorAnswer)?.Error ?? text;
                }
                catch (JsonException)
                {
                }
            }
            return ((int)response.StatusCode, text);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Failure, $"cannot reach the node's API at {Address}: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
