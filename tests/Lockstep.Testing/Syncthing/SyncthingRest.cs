using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Lockstep.Testing;

/// <summary>
/// Typed calls to Syncthing 1.19's REST API (bep-v1.md §7) with the <c>X-API-Key</c> header; 1.19 has no Bearer auth.
/// Failures throw <see cref="HttpRequestException"/> carrying the status code and Syncthing's text.
/// </summary>
public sealed partial class SyncthingRest : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _requestTimeout;

    /// <param name="baseAddress">e.g. http://127.0.0.1:PORT/</param>
    /// <param name="requestTimeout">Per call (except the events long poll, which adds its own timeout); defaults to 30 s.</param>
    public SyncthingRest(Uri baseAddress, string apiKey, TimeSpan? requestTimeout = null)
    {
        BaseAddress = baseAddress;
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        // Loopback only: never a proxy, even if the environment names one.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
    }

    public Uri BaseAddress { get; }

    // ---- system

    /// <summary>
    /// True when <c>GET /rest/system/ping</c> answers pong within <paramref name="timeout"/> (default 2 s); false while
    /// nothing listens, the API is not up yet, or something else holds the port without answering.
    /// </summary>
    public async Task<bool> TryPingAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var (status, body) = await SendRawAsync(HttpMethod.Get, "rest/system/ping", null, timeout ?? TimeSpan.FromSeconds(2), cancellationToken);
            return status == HttpStatusCode.OK && Check(HttpMethod.Get, "rest/system/ping", status, body).Str("ping") == "pong";
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TimeoutException or JsonException)
        {
            return false;
        }
    }

    /// <summary><c>GET /rest/system/status</c> (myID, connectionServiceStatus, uptime…).</summary>
    public Task<JsonElement> GetSystemStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/system/status", cancellationToken);

    /// <summary>Syncthing's own device ID, from system/status.</summary>
    public async Task<string> GetMyIdAsync(CancellationToken cancellationToken = default) =>
        (await GetSystemStatusAsync(cancellationToken)).Str("myID");

    /// <summary><c>GET /rest/system/version</c>.</summary>
    public Task<JsonElement> GetVersionAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/system/version", cancellationToken);

    /// <summary><c>GET /rest/system/connections</c>, by device ID.</summary>
    public async Task<IReadOnlyDictionary<string, SyncthingConnection>> GetConnectionsAsync(CancellationToken cancellationToken = default)
    {
        var r = await GetAsync("rest/system/connections", cancellationToken);
        return r.Obj("connections") is { ValueKind: JsonValueKind.Object } c
            ? c.EnumerateObject().ToDictionary(p => p.Name, p => SyncthingConnection.From(p.Name, p.Value))
            : new Dictionary<string, SyncthingConnection>();
    }

    /// <summary>The connection entry for one device; null when the device is not configured.</summary>
    public async Task<SyncthingConnection?> GetConnectionAsync(string deviceId, CancellationToken cancellationToken = default) =>
        (await GetConnectionsAsync(cancellationToken)).GetValueOrDefault(deviceId);

    /// <summary><c>POST /rest/system/shutdown</c>: Syncthing answers, then exits (about 1–2 s later).</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "rest/system/shutdown", null, cancellationToken);

    // ---- db

    /// <summary><c>GET /rest/db/status?folder=</c> (documented as expensive; fine for tests).</summary>
    public async Task<SyncthingFolderStatus> GetFolderStatusAsync(string folder, CancellationToken cancellationToken = default) =>
        SyncthingFolderStatus.From(await GetAsync($"rest/db/status?folder={Esc(folder)}", cancellationToken));

    /// <summary><c>GET /rest/db/completion?folder=[&amp;device=]</c>; without a device, Syncthing's own completion.</summary>
    public async Task<SyncthingCompletion> GetCompletionAsync(string folder, string? device = null, CancellationToken cancellationToken = default) =>
        SyncthingCompletion.From(await GetAsync(
            $"rest/db/completion?folder={Esc(folder)}" + (device is null ? "" : $"&device={Esc(device)}"), cancellationToken));

    /// <summary><c>GET /rest/db/file?folder=&amp;file=</c>; null when neither side of the index has the name (404 "No such object in the index").</summary>
    public async Task<SyncthingFile?> GetFileAsync(string folder, string file, CancellationToken cancellationToken = default)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, $"rest/db/file?folder={Esc(folder)}&file={Esc(file)}", null, _requestTimeout, cancellationToken);
        if (status == HttpStatusCode.NotFound && body.Contains("No such object", StringComparison.Ordinal))
            return null;
        return SyncthingFile.From(Check(HttpMethod.Get, "rest/db/file", status, body));
    }

    /// <summary><c>GET /rest/db/browse?folder=[&amp;prefix=][&amp;levels=]</c>: the global tree as nested {name, type, size, modTime, children}.</summary>
    public Task<JsonElement> BrowseAsync(string folder, string? prefix = null, int? levels = null, CancellationToken cancellationToken = default) =>
        GetAsync($"rest/db/browse?folder={Esc(folder)}" + (prefix is null ? "" : $"&prefix={Esc(prefix)}") + (levels is null ? "" : $"&levels={levels}"),
            cancellationToken);

    /// <summary><c>GET /rest/db/need?folder=</c>: what Syncthing still needs, as {progress, queued, rest} lists of files.</summary>
    public Task<JsonElement> GetNeedAsync(string folder, CancellationToken cancellationToken = default) =>
        GetAsync($"rest/db/need?folder={Esc(folder)}", cancellationToken);

    /// <summary><c>GET /rest/db/remoteneed?folder=&amp;device=</c>: what Syncthing thinks the device still needs, as {files: [...]}.</summary>
    public Task<JsonElement> GetRemoteNeedAsync(string folder, string device, CancellationToken cancellationToken = default) =>
        GetAsync($"rest/db/remoteneed?folder={Esc(folder)}&device={Esc(device)}", cancellationToken);

    /// <summary><c>POST /rest/db/scan?folder=[&amp;sub=]</c>; returns after the scan ran (synchronous in 1.19). <paramref name="sub"/> limits it to one path.</summary>
    public Task ScanAsync(string folder, string? sub = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"rest/db/scan?folder={Esc(folder)}" + (sub is null ? "" : $"&sub={Esc(sub)}"), null, cancellationToken);

    // ---- cluster

    /// <summary><c>GET /rest/cluster/pending/devices</c>: devices that tried to connect but are not configured, by ID.</summary>
    public Task<JsonElement> GetPendingDevicesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/cluster/pending/devices", cancellationToken);

    /// <summary><c>GET /rest/cluster/pending/folders</c>: folders peers offered that are not shared with them here, by folder ID.</summary>
    public Task<JsonElement> GetPendingFoldersAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/cluster/pending/folders", cancellationToken);

    // ---- events

    /// <summary>
    /// <c>GET /rest/events?since=&amp;events=&amp;timeout=</c>: long-polls until an event newer than <paramref name="since"/> or the timeout.
    /// A filtered subscription starts when first asked for, so it misses earlier events, and its ids count on their own.
    /// </summary>
    public async Task<IReadOnlyList<SyncthingEvent>> GetEventsAsync(long since, IEnumerable<string>? types = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(10);
        var query = $"rest/events?since={since}&timeout={Math.Max(0, (int)Math.Ceiling(wait.TotalSeconds))}";
        if (types is not null)
            query += $"&events={Esc(string.Join(',', types))}";
        var (status, body) = await SendRawAsync(HttpMethod.Get, query, null, wait + _requestTimeout, cancellationToken);
        var r = Check(HttpMethod.Get, "rest/events", status, body);
        return r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(SyncthingEvent.From).ToList() : [];
    }

    // ---- raw

    /// <summary>Any GET, as JSON.</summary>
    public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, cancellationToken);

    /// <summary>Any call; <paramref name="body"/> is serialised as JSON. Returns the parsed answer, or an undefined element for an empty one.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string pathAndQuery, object? body = null, CancellationToken cancellationToken = default)
    {
        var (status, text) = await SendRawAsync(method, pathAndQuery, body, _requestTimeout, cancellationToken);
        return Check(method, pathAndQuery, status, text);
    }

    /// <summary>Any call, unchecked: the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendRawAsync(HttpMethod method, string pathAndQuery, object? body, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        try
        {
            using var response = await _http.SendAsync(request, cts.Token);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {pathAndQuery} on {BaseAddress} took longer than {timeout.TotalSeconds:F0} s", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private static JsonElement Check(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        if ((int)status is < 200 or > 299)
            throw new HttpRequestException($"syncthing {method} {path}: {(int)status} {status}: {body.Trim()}", null, status);
        return string.IsNullOrWhiteSpace(body) ? default : JsonSerializer.Deserialize<JsonElement>(body);
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
