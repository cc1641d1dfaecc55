using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>The node's REST API over real HTTP: the key is required, Syncthing's paths answer with its field names.</summary>
public sealed class RestApiTests : ApiPairTests
{
    [Fact]
    public async Task The_api_key_is_required_except_on_health()
    {
        using var anonymous = Client(A, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("rest/system/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("rest/noauth/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
        using var wrong = Client(A, key: "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("rest/system/status")).StatusCode);
        using var bearer = new HttpClient { BaseAddress = new Uri($"http://{A.Host.Api!.Address}/") };
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", Lockstep.Node.Config.ConfigFile.Load(A.Home.ConfigPath).Api.Key);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("rest/system/status")).StatusCode);
    }

    [Fact]
    public async Task An_openapi_document_describes_every_route()
    {
        using var http = Client(A);
        var doc = await http.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        Assert.Equal("Lockstep node API", doc.GetProperty("info").GetProperty("title").GetString());
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/healthz", "/readyz", "/metrics", "/rest/noauth/health", "/rest/system/status", "/rest/system/version", "/rest/system/ping",
            "/rest/system/connections", "/rest/events", "/rest/db/status", "/rest/db/completion", "/rest/db/need", "/rest/db/remoteneed",
            "/rest/db/file", "/rest/db/scan", "/rest/db/override", "/rest/db/revert", "/rest/config", "/rest/config/folders",
            "/rest/config/folders/{id}", "/rest/config/devices", "/rest/config/devices/{id}", "/rest/cluster/pending/devices",
            "/rest/lockstep/status", "/rest/lockstep/conflicts", "/rest/lockstep/conflicts/resolve", "/rest/lockstep/versions",
            "/rest/lockstep/versions/restore", "/rest/lockstep/folders/{id}/pause", "/rest/lockstep/folders/{id}/resume",
            "/api/v1/health", "/api/v1/info", "/api/v1/cluster/status", "/api/v1/cluster/nodes", "/api/v1/sync/status", "/api/v1/sync/files",
        ];
        var missing = expected.Except(paths).ToList();
        Assert.True(missing.Count == 0, "not in the OpenAPI document: " + string.Join(", ", missing));
        var folderMethods = doc.GetProperty("paths").GetProperty("/rest/config/folders/{id}").EnumerateObject().Select(m => m.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "get", "put", "patch", "delete" }, folderMethods);
        using var anonymous = Client(A, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Readyz_is_ready_without_a_key_and_names_a_folder_in_error()
    {
        using var anonymous = Client(A, key: null);
        var ready = await anonymous.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.True(checks["index"].GetProperty("ok").GetBoolean());
        Assert.StartsWith("tcp://127.0.0.1:", checks["listener"].GetProperty("detail").GetString());
        Assert.True(checks["folder f"].GetProperty("ok").GetBoolean());

        // The folder marker goes away (an unmounted volume, say): the folder stops in error and the node is not ready.
        Directory.Delete(Path.Combine(A.FolderPath("f"), ".stfolder"), recursive: true);
        using var http = Client(A);
        await http.PostAsync("rest/db/scan?folder=f", null);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync("readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, Patience, "readyz to turn 503");
        var notReady = await (await anonymous.GetAsync("readyz")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not ready", notReady.GetProperty("status").GetString());
        var folder = notReady.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "folder f");
        Assert.False(folder.GetProperty("ok").GetBoolean());
        Assert.Contains(".stfolder", folder.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode); // alive all the same
    }

    [Fact]
    public async Task Syncthing_shaped_answers_describe_the_node_and_its_folder()
    {
        using var http = Client(A);
        File.WriteAllText(Path.Combine(A.FolderPath("f"), "one.txt"), "12345");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(B.FolderPath("f"), "one.txt")), Patience, "the file to reach b");

        var status = await http.GetFromJsonAsync<JsonElement>("rest/system/status");
        Assert.Equal(A.Id.ToString(), status.GetProperty("myID").GetString());
        Assert.True(status.GetProperty("uptime").GetInt64() >= 0);

        var connections = await http.GetFromJsonAsync<JsonElement>("rest/system/connections");
        var toB = connections.GetProperty("connections").GetProperty(B.Id.ToString());
        Assert.True(toB.GetProperty("connected").GetBoolean());
        Assert.StartsWith("TLS1.3", toB.GetProperty("crypto").GetString());
        Assert.True(connections.GetProperty("total").GetProperty("outBytesTotal").GetInt64() > 0);

        var db = await http.GetFromJsonAsync<JsonElement>("rest/db/status?folder=f");
        Assert.Equal(1, db.GetProperty("localFiles").GetInt64());
        Assert.Equal(5, db.GetProperty("globalBytes").GetInt64());
        Assert.Equal(0, db.GetProperty("needFiles").GetInt64());
        Assert.Contains(db.GetProperty("state").GetString(), new[] { "idle", "scanning", "syncing" });

        await Eventually.TrueAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"rest/db/completion?folder=f&device={B.Id}")).GetProperty("completion").GetDouble() == 100,
            Patience, "a to see b complete");
        var need = await http.GetFromJsonAsync<JsonElement>("rest/db/need?folder=f");
        Assert.Equal(0, need.GetProperty("rest").GetArrayLength());

        var scan = await http.PostAsync("rest/db/scan?folder=f", null);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        var missing = await http.GetAsync("rest/db/status?folder=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no folder 'nope'", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("rest/db/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("rest/db/override?folder=f", null)).StatusCode); // not send-only
    }
}
